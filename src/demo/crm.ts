// The embedded demo product: a sales CRM with 40 events and 7 planted personas in unequal shares,
// heavy-tailed activity, users who mix two personas, bots and power users, and inactive users.
// Seeded, in memory, and the same in Node and browsers: tutorials and tests can rely on it.

import { Random } from '../random.js';

export const CRM_EVENTS = [
  // deals
  'deal_added', 'deal_updated', 'deal_won', 'deal_lost', 'deal_stage_changed',
  // activities
  'activity_scheduled', 'activity_completed', 'call_logged', 'meeting_scheduled', 'note_added',
  // email
  'email_sent', 'email_tracked', 'email_template_used',
  // contacts and organizations
  'person_added', 'person_updated', 'contacts_imported', 'contacts_merged', 'organization_added', 'organization_updated',
  // leads
  'lead_added', 'lead_qualified', 'lead_converted', 'web_form_submitted',
  // admin and billing
  'user_invited', 'permissions_changed', 'pipeline_customized', 'custom_field_added', 'integration_installed',
  'billing_viewed', 'invoice_downloaded',
  // mobile
  'mobile_deal_viewed', 'mobile_activity_completed', 'mobile_call_logged', 'mobile_contact_viewed',
  // insights, goals, forecast
  'insights_report_viewed', 'dashboard_shared', 'goal_set', 'forecast_viewed',
  // everybody
  'search_performed', 'data_exported',
] as const;

export interface PlantedPersona {
  readonly name: string;
  readonly share: number;
  /** The events this persona does far more than others (weights relative to 1 for the rest). */
  readonly signature: Readonly<Record<string, number>>;
}

export const CRM_PERSONAS: readonly PlantedPersona[] = [
  { name: 'Sales', share: 0.28, signature: { deal_added: 6, deal_updated: 8, deal_won: 3, deal_lost: 2, deal_stage_changed: 7, email_sent: 4, call_logged: 3 } },
  { name: 'Data Entry', share: 0.17, signature: { person_added: 8, person_updated: 6, organization_added: 6, organization_updated: 4, contacts_imported: 3, note_added: 3 } },
  { name: 'Contact Manager', share: 0.14, signature: { contacts_merged: 5, email_tracked: 6, email_template_used: 5, meeting_scheduled: 4, person_updated: 3, search_performed: 3 } },
  { name: 'Admin', share: 0.07, signature: { user_invited: 6, permissions_changed: 6, pipeline_customized: 5, custom_field_added: 5, integration_installed: 4, billing_viewed: 4, invoice_downloaded: 3 } },
  { name: 'Mobile', share: 0.12, signature: { mobile_deal_viewed: 8, mobile_activity_completed: 7, mobile_call_logged: 6, mobile_contact_viewed: 6, activity_completed: 2 } },
  { name: 'Lead Manager', share: 0.12, signature: { lead_added: 8, lead_qualified: 6, lead_converted: 4, web_form_submitted: 5, activity_scheduled: 2 } },
  { name: 'Team Lead', share: 0.10, signature: { insights_report_viewed: 7, dashboard_shared: 5, goal_set: 5, forecast_viewed: 6, data_exported: 2 } },
];

export interface DemoOptions {
  /** Users to generate. Default 20 000. */
  users?: number;
  /** Seed of the generator. Default 1. */
  seed?: number;
  /** Share of inactive users (no event at all). Default 0.03. */
  inactiveShare?: number;
  /** Share of outliers (bots, API integrations, power users). Default 0.01. */
  outlierShare?: number;
}

export interface DemoData {
  readonly users: readonly string[];
  readonly events: readonly string[];
  /** users × events event counts, row-major. */
  readonly counts: Float32Array;
  /** Planted persona index per user; −1 for inactive users and outliers. */
  readonly planted: Int32Array;
  readonly plantedNames: readonly string[];
  /** Why a user has no planted persona: 'inactive' | 'outlier' | undefined. */
  readonly kind: readonly ('active' | 'inactive' | 'outlier')[];
}

const BACKGROUND = 0.25; // weight of every non-signature event: everybody searches, adds a note now and then

/** Generates the demo CRM's users × events count matrix with its planted personas. */
export function generateCrmDemo(options: DemoOptions = {}): DemoData {
  const n = options.users ?? 20_000;
  const rng = new Random(options.seed ?? 1);
  const inactiveShare = options.inactiveShare ?? 0.03;
  const outlierShare = options.outlierShare ?? 0.01;
  const m = CRM_EVENTS.length;
  const profiles = crmProfiles(rng);
  const cumulative = CRM_PERSONAS.map((_, i) => CRM_PERSONAS.slice(0, i + 1).reduce((s, p) => s + p.share, 0));

  const counts = new Float32Array(n * m);
  const planted = new Int32Array(n);
  const kind: ('active' | 'inactive' | 'outlier')[] = [];
  const width = String(n - 1).length;
  const users = Array.from({ length: n }, (_, i) => `u${String(i).padStart(Math.max(6, width), '0')}`);
  for (let u = 0; u < n; u++) {
    const draw = rng.nextFloat();
    if (draw < inactiveShare) {
      planted[u] = -1;
      kind.push('inactive');
      continue;
    }
    if (draw < inactiveShare + outlierShare) {
      planted[u] = -1;
      kind.push('outlier');
      drawOutlier(rng, counts.subarray(u * m, (u + 1) * m));
      continue;
    }
    const primary = pick(cumulative, rng.nextFloat());
    const secondary = pick(cumulative, rng.nextFloat());
    planted[u] = primary;
    kind.push('active');
    drawActivity(rng, profiles, primary, secondary, counts.subarray(u * m, (u + 1) * m));
  }
  return { users, events: CRM_EVENTS, counts, planted, plantedNames: CRM_PERSONAS.map((p) => p.name), kind };
}

/** Each persona's event profile (shares summing to 1), with some seeded variation of the weights. */
export function crmProfiles(rng: Random): number[][] {
  return CRM_PERSONAS.map((p) => {
    const w = CRM_EVENTS.map((e) => (p.signature[e] ?? BACKGROUND) * (0.7 + 0.6 * rng.nextFloat()));
    const total = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / total);
  });
}

/** A bot or an integration: thousands of one or two events. */
export function drawOutlier(rng: Random, into: Float32Array): void {
  const m = into.length;
  const a = rng.nextInt(m), b = rng.nextInt(m);
  into[a] = poisson(rng, 2000 * (0.5 + rng.nextFloat()));
  into[b]! += poisson(rng, 300 * rng.nextFloat());
}

/** One user's counts: mostly their persona, 60 % of users mixing in up to 40 % of a second one. */
export function drawActivity(rng: Random, profiles: readonly (readonly number[])[], primary: number, secondary: number, into: Float32Array): void {
  const mix = rng.nextFloat() < 0.6 ? 0.4 * rng.nextFloat() : 0;
  // Lognormal activity, median 40 events in the period: a heavy tail of busy users.
  const activity = 40 * Math.exp(1.0 * rng.nextNormal());
  for (let j = 0; j < into.length; j++) into[j] = poisson(rng, activity * ((1 - mix) * profiles[primary]![j]! + mix * profiles[secondary]![j]!));
}

export function pick(cumulative: readonly number[], u: number): number {
  for (let i = 0; i < cumulative.length; i++) if (u < cumulative[i]!) return i;
  return cumulative.length - 1;
}

/** A Poisson deviate: inversion for small means, a rounded normal approximation for large ones. */
function poisson(rng: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.nextNormal()));
  let k = 0, p = Math.exp(-mean), s = p;
  const u = rng.nextFloat();
  while (u > s && k < 1000) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}

// The little statistics drift needs: normal tail probabilities and the two-proportion z-test.

/**
 * P(Z > z) for a standard normal Z, from erfc with the Chebyshev approximation of Numerical Recipes
 * (fractional error under 1.2·10⁻⁷ everywhere, so tiny p-values stay meaningful).
 */
export function normalSurvival(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  const a = Math.abs(x), t = 1 / (1 + 0.5 * a);
  const y = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : 2 - y;
}

/**
 * Did a proportion change between two samples (x₁ of n₁, x₂ of n₂)? Pooled two-proportion z-test,
 * two-sided. Users present in both periods make the samples positively correlated, which only makes
 * this test conservative.
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): { z: number; pValue: number } {
  if (n1 === 0 || n2 === 0) return { z: 0, pValue: 1 };
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (x2 / n2 - x1 / n1) / se;
  return { z, pValue: Math.min(1, 2 * normalSurvival(Math.abs(z))) };
}

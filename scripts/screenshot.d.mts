export declare const CHROMIUM_ARGS: string[];
export declare function screenshot(target: string, out: string, options?: { width?: number }): Promise<{ errors: string[]; requests: string[]; height: number }>;

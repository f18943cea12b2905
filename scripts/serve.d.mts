export declare function serve(folder: string, port?: number, options?: { isolated?: boolean }): Promise<{ origin: string; close(): Promise<void> }>;

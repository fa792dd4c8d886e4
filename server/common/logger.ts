import { pino, type DestinationStream, type Logger } from "pino";

/**
 * Structured JSON logs. Personal data never goes here: log ids, codes and counts — not names,
 * BSNs, free text, tokens or request variables.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "ketenhub" },
    redact: { paths: ["authorization", "*.authorization", "token", "*.token", "variables", "*.variables"], remove: true },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

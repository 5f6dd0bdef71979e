import pino from "pino";

/** The one logger: object first, then a fixed message. Never log whole payloads or tokens. */
// Logs go to stderr so that stdout stays clean for the CLI's --json output.
export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { app: "back-office-sync" },
    redact: ["accessToken", "*.accessToken", "token", "*.token"],
  },
  pino.destination(2),
);

export type Logger = typeof log;

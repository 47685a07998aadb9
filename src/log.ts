// winston: JSON lines in logs/ rotated daily, readable lines on the console. Every secret value known
// from the configuration is masked in messages and metadata before any transport sees it.
import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';

export type Logger = winston.Logger;

export function makeRedactor(secrets: string[]): (text: string) => string {
  const needles = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    needles.add(s);
    // HTTP Basic auth carries base64("KEY:"): mask that form too.
    needles.add(Buffer.from(`${s}:`).toString('base64'));
  }
  const list = [...needles].filter((n) => n.length >= 4).sort((a, b) => b.length - a.length);
  if (list.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const n of list) if (out.includes(n)) out = out.split(n).join('***');
    return out;
  };
}

function redactDeep(value: unknown, redact: (t: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redact(value.stack ?? value.message);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact, depth + 1);
  return out;
}

export interface LoggerOptions {
  dir?: string;          // logs folder; none = console only
  secrets?: string[];
  level?: string;
  console?: boolean;
  /** One-shot commands print their own summary: their console shows warnings and errors only. */
  consoleLevel?: string;
}

/** `logOnly: true` in a line's metadata: the technical side (English message, error, stack) of an event the
 *  console already tells in French — it goes to logs/ only (issue #7: the console speaks French). */
const notLogOnly = winston.format((info) => (info.logOnly === true ? false : info));

export function createLogger(opts: LoggerOptions = {}): Logger {
  const redact = makeRedactor(opts.secrets ?? []);
  const mask = winston.format((info) => {
    // winston formats every message before its transports drop those below their level: a debug line per
    // webservice request would be masked and passed along for nothing (issue #6).
    if (!logger.isLevelEnabled(info.level)) return false;
    for (const key of Object.keys(info)) {
      (info as Record<string, unknown>)[key] = redactDeep((info as Record<string, unknown>)[key], redact);
    }
    return info;
  });
  const transports: winston.transport[] = [];
  if (opts.dir) {
    transports.push(new DailyRotateFile({
      dirname: opts.dir,
      filename: 'prestasync-%DATE%.log',
      datePattern: 'YYYY-MM-DD',
      maxFiles: '90d',
      format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    }));
  }
  if (opts.console !== false) {
    transports.push(new winston.transports.Console({
      ...(opts.consoleLevel ? { level: opts.consoleLevel } : {}),
      stderrLevels: ['error', 'warn'],
      format: winston.format.combine(
        notLogOnly(),
        winston.format.timestamp({ format: 'HH:mm:ss' }),
        winston.format.printf(({ timestamp, level, message, pipeline, file }) => {
          const where = [pipeline, file].filter(Boolean).join(' ');
          return `${String(timestamp)} ${level.padEnd(5)} ${where ? `[${String(where)}] ` : ''}${String(message)}`;
        }),
      ),
    }));
  }
  if (transports.length === 0) transports.push(new winston.transports.Console({ silent: true }));
  // the format above runs once the logger exists: messages come later
  const logger = winston.createLogger({ level: opts.level ?? 'info', format: mask(), transports });
  return logger;
}

/** A logger that drops everything: tests and library callers that do not care. */
export function silentLogger(): Logger {
  return winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
}

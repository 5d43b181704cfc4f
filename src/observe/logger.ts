import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export interface LogSettings {
  level: string;
  format: 'json' | 'pretty';
}

/** JSON lines on stderr by default (stdout stays free for command output); pretty for terminals. */
export function createLogger(settings: LogSettings): Logger {
  const options = {
    level: settings.level,
    base: { service: 'tributary' },
    redact: { paths: ['password', '*.password', 'url', '*.url'], censor: '***' },
  };
  if (settings.format === 'pretty') {
    return pino(
      options,
      pretty({ destination: 2, colorize: process.stderr.isTTY, ignore: 'pid,hostname,service' }),
    );
  }
  return pino(options, pino.destination({ dest: 2, sync: false }));
}

/** Registry failures as TributaryErrors: what went wrong, and what to do. */
import { TributaryError } from '../core/errors.ts';
import { tlsError } from '../core/tls.ts';

export interface RegistryErrorContext {
  /** The registry's base URL. */
  url: string;
  /** The basic-auth user, when there is one. */
  user?: string | undefined;
  subject?: string;
  /** The compatibility level that applies to the subject, when known. */
  compatibility?: string | null;
}

const NETWORK_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|socket hang up|timed? ?out|fetch failed/i;

/** The registry's own explanation, without the client's name in front. */
function explanation(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Confluent_Schema_Registry - /, '');
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** fetch hides the reason in `cause`: ECONNREFUSED, ENOTFOUND, ... */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const reason = typeof cause?.code === 'string' ? cause.code : cause?.message;
  return typeof reason === 'string' && reason !== '' ? ` (${reason})` : '';
}

export function registryError(error: unknown, context: RegistryErrorContext): TributaryError {
  if (error instanceof TributaryError) return error;
  const parsed = URL.parse(context.url);
  const tls = tlsError(error, {
    service: 'schema registry',
    host: parsed?.hostname ?? context.url,
    port: parsed?.port || (parsed?.protocol === 'https:' ? 443 : 80),
    user: context.user,
    group: 'registry',
  });
  if (tls) return tls;
  const status = statusOf(error);
  const reason = explanation(error);
  const subject = context.subject ? `subject ${context.subject}` : 'the registry';

  // The client reports a failed connection as a made-up HTTP 400.
  const unreachable =
    (status === undefined || status === 400) &&
    (NETWORK_FAILURE.test(reason) || (error as Error | null)?.name === 'TimeoutError');
  if (unreachable || status === 408 || status === 429 || (status !== undefined && status >= 500)) {
    return new TributaryError(
      `schema registry at ${context.url} is unreachable or failing: ${reason}${causeOf(error)}`,
      {
        code: 'REGISTRY_UNREACHABLE',
        retriable: true,
        fix: 'check registry.url and that the registry is running; Tributary retries meanwhile',
        cause: error,
      },
    );
  }
  if (status === 409) {
    const rule = context.compatibility
      ? `the registry applies ${context.compatibility} compatibility to ${context.subject}`
      : `the compatibility rule of ${context.subject} (it could not be read) refused it`;
    // The rule belongs in the message itself: it is what the user has to weigh the change against.
    const against = context.compatibility
      ? `with its ${context.compatibility} compatibility rule`
      : '(its compatibility rule could not be read)';
    return new TributaryError(
      `the schema registry refused the new schema for ${subject} as incompatible ${against}: ${reason}`,
      {
        code: 'SCHEMA_REFUSED',
        fix:
          `${rule}: make the table change compatible with it (e.g. add columns as nullable), ` +
          `or change the rule (PUT ${context.url}/config/${context.subject} {"compatibility":"NONE"}) and restart`,
        cause: error,
      },
    );
  }
  const user = context.user ? ` (user ${context.user})` : ' (no credentials)';
  if (status === 401) {
    return new TributaryError(
      `schema registry at ${context.url}${user} refused the credentials (HTTP 401): ${reason}`,
      {
        code: 'CONFIG_INVALID',
        fix: context.user
          ? 'check registry.username and registry.password (or registry.passwordFile)'
          : 'the registry asks for basic auth: set registry.username and registry.password (or registry.passwordFile)',
        cause: error,
      },
    );
  }
  if (status === 403) {
    return new TributaryError(
      `schema registry at ${context.url}${user} forbade the request for ${subject} (HTTP 403): ${reason}`,
      {
        code: 'CONFIG_INVALID',
        fix: 'give this registry user the right to read and register schemas (and read subject configs)',
        cause: error,
      },
    );
  }
  if (status === 404) {
    return new TributaryError(`schema registry at ${context.url} answered 404 for ${subject}: ${reason}`, {
      code: 'CONFIG_INVALID',
      fix: 'registry.url must be the Confluent-compatible API root (for Apicurio Registry: http://HOST:PORT/apis/ccompat/v7)',
      cause: error,
    });
  }
  return new TributaryError(`the schema registry refused the schema for ${subject}: ${reason}`, {
    code: 'SCHEMA_REFUSED',
    fix: 'the schema Tributary built is not acceptable to this registry: report it as a bug with the message above',
    cause: error,
  });
}

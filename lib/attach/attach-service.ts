/**
 * Attached webhooks (issue 14): when a listener with `attach` is created, the
 * partner's API is called through the connection to register the listener's
 * public URL, and the id the partner answers (at `externalIdPath`) is kept;
 * deleting the listener calls `unregister` with `{{externalId}}`. A failure
 * never loses the listener: its attachment says `failed` with the partner's
 * answer, and `POST /listeners/{id}/attach` tries again.
 */
import type { Clock } from '../clock';
import { queryPath } from '../json-path';
import type { ConnectionService } from '../connections/connection-service';
import type { ImportResponseDoc } from '../store/store';
import type { Attachment, AttachSettings } from './attach-schema';
import { callPartner, type CallResult } from './partner-call';

/** What register and unregister templates see as `listener`. */
export interface AttachedListener {
  id: string;
  name: string;
  /** The full public URL, secret segment included: the partner must post to it. */
  url: string;
  /** The verifier's first active secret, for partners that sign with a secret they are given (GitHub). */
  secret: string | undefined;
}

const KEPT_ANSWER_CHARS = 2000;

export class AttachService {
  constructor(private readonly connections: ConnectionService, private readonly clock: Clock) {}

  /** `secret`: what the answer holds at `secretPath`, for the listener's verifier. */
  async register(listener: AttachedListener, attach: AttachSettings): Promise<{ attachment: Attachment; secret?: string }> {
    const result = await this.call(attach, 'register', { listener });
    if (!result.ok) return { attachment: this.failed('failed', null, result) };
    const answer = result.response.json !== undefined ? result.response.json : undefined;
    const [found] = answer === undefined ? [] : queryPath(attach.externalIdPath, answer);
    if (found === undefined || found === null || found === '' || typeof found === 'object') {
      // A successful answer may carry credentials (Stripe's signing secret): name its fields, keep none of its values.
      const fields = answer !== null && typeof answer === 'object' ? Object.keys(answer).slice(0, 20).join(', ') : typeof answer;
      const message = `the partner’s answer has no id at ${attach.externalIdPath} (externalIdPath); it has: ${fields}`;
      return { attachment: this.failed('failed', null, { response: { ...result.response, body: '' }, message }) };
    }
    const attachment: Attachment = { status: 'attached', externalId: String(found), at: this.now(), error: null };
    if (!attach.secretPath) return { attachment };
    const [secret] = queryPath(attach.secretPath, answer);
    if (typeof secret !== 'string' || secret === '') {
      return { attachment: { ...attachment, error: { message: `the partner’s answer has no secret at ${attach.secretPath} (secretPath)`, status: result.response.status, body: null } } };
    }
    return { attachment, secret };
  }

  /** Calls `unregister` for an attached listener; a listener never attached (or with no unregister call) is simply detached. */
  async unregister(listener: AttachedListener, attach: AttachSettings, current: Attachment | null): Promise<Attachment> {
    const externalId = current?.externalId ?? null;
    if (!attach.unregister || externalId === null) return { status: 'detached', externalId, at: this.now(), error: null };
    const result = await this.call(attach, 'unregister', { listener, externalId });
    if (!result.ok) return this.failed('detach-failed', externalId, result);
    return { status: 'detached', externalId, at: this.now(), error: null };
  }

  private async call(attach: AttachSettings, which: 'register' | 'unregister', context: object): Promise<CallResult> {
    const connection = await this.connections.getState(attach.connectionId).catch(() => undefined);
    if (!connection) return { ok: false, message: `the connection ${attach.connectionId} no longer exists`, response: null };
    return callPartner(connection, attach[which]!, context, `/attach/${which}`);
  }

  private failed(status: 'failed' | 'detach-failed', externalId: string | null, result: { message: string; response: ImportResponseDoc | null }): Attachment {
    return {
      status, externalId, at: this.now(),
      error: { message: result.message, status: result.response?.status ?? null, body: result.response?.body ? result.response.body.slice(0, KEPT_ANSWER_CHARS) : null },
    };
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

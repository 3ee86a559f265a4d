/** A flow (one user's attempt, or one attack campaign) and the send and verify lines it writes. */
import type { SimEvent } from './event-merge';
import type { WrittenNumber } from './profiles/number-formats';
import type { Rng } from './rng';
import type { SimLabel, SimScenario, SimSendLine, SimVerifyLine } from './types';
import type { World } from './world';

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** What a send line carries besides its id, time, label and flow. */
export interface SendFields {
  readonly tenant: string;
  readonly written: WrittenNumber;
  /** Region hint sent even for international formats (country pickers). */
  readonly countryHint?: string;
  readonly scenario: SimScenario;
  readonly ip: string;
  readonly userAgent?: string;
  readonly device?: string;
  readonly challengePassed?: boolean;
  readonly account?: string;
}

/** One flow or campaign: its id, label, RNG stream and send-id counter. */
export class Flow {
  private sends = 0;

  constructor(
    readonly id: string,
    readonly label: SimLabel,
    readonly rng: Rng,
  ) {}

  send(t: number, f: SendFields): SimEvent & { line: SimSendLine } {
    const country = f.written.country ?? f.countryHint;
    // Built key by key, optional keys only when set, so every line has the same field order.
    const line: Record<string, unknown> = {
      type: 'send',
      id: `${this.id}#${++this.sends}`,
      ts: iso(t),
      tenant: f.tenant,
      phone: f.written.phone,
    };
    if (country !== undefined) line.country = country;
    line.scenario = f.scenario;
    line.ip = f.ip;
    if (f.userAgent !== undefined) line.userAgent = f.userAgent;
    if (f.device !== undefined) line.device = f.device;
    if (f.challengePassed !== undefined) line.challengePassed = f.challengePassed;
    if (f.account !== undefined) line.account = f.account;
    line.label = this.label;
    line.flow = this.id;
    return { t, line: line as unknown as SimSendLine };
  }

  /** The same flow under another variant (`web/x-1` → `web-pow-retry/x-1`), with its own send ids. */
  withVariant(variant: string): Flow {
    return new Flow(`${variant}${this.id.slice(this.id.indexOf('/'))}`, this.label, this.rng);
  }

  verify(t: number, send: SimSendLine, e164: string, success: boolean): SimEvent {
    const line: SimVerifyLine = {
      type: 'verify',
      ts: iso(t),
      tenant: send.tenant,
      phone: e164,
      success,
      after: send.id,
      label: this.label,
      flow: this.id,
    };
    return { t, line };
  }
}

/** An attack campaign's flow, on its own RNG stream keyed by its id. */
export function attackFlow(world: World, id: string, label: SimLabel): Flow {
  return new Flow(id, label, world.rng.fork(`flow:${id}`));
}

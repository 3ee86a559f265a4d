import type { ServiceLogger } from '../service/shield-service';

/** A job run every `everyMs`, like an EventBridge schedule in AWS. */
export interface JobSchedule {
  /** Wait for a run in progress, and run no more. */
  stop(): Promise<void>;
}

/**
 * Run `job` every `everyMs` (0: never; it is then only run when asked), one run at a time: a
 * tick that finds the previous run still going skips. Failures are logged as `failure`; the
 * timer does not keep the process alive.
 */
export function scheduleJob(job: () => Promise<unknown>, everyMs: number, logger: ServiceLogger, failure: string): JobSchedule {
  let running: Promise<unknown> | undefined;
  const timer =
    everyMs > 0
      ? setInterval(() => {
          running ??= job()
            .catch((error: unknown) => logger.error(failure, { error: String(error) }))
            .finally(() => (running = undefined));
        }, everyMs).unref()
      : undefined;
  return {
    stop: async () => {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

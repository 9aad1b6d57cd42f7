/**
 * The checks a tool backend (perf, bpftrace) passes before it can capture: privilege, the tool on
 * PATH, tracefs (both tools read the tracepoint's format from it; mounted when missing) and the
 * kfree_skb tracepoint with, where required, its `reason` field.
 */
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import type { CaptureHost } from './CaptureHost';
import { readPrivilege } from './privilege';
import { locateTracefs, readKfreeSkbFormat, type KfreeSkbFormatFacts } from './tracefsFiles';

/** What a ready tool backend knows. */
export interface ToolReadiness {
  /** Absolute path of the tool. */
  tool: string;
  format: KfreeSkbFormatFacts;
  /** The "why" of an available backend, in parts. */
  notes: string[];
}

/** Checks `tool` (`perf`, `bpftrace`); `needsReason` refuses kernels before 5.17. */
export async function toolReadiness(
  host: CaptureHost,
  tool: string,
  needsReason: boolean,
): Promise<Result<ToolReadiness>> {
  const privilege = readPrivilege(host.uid(), await host.procStatus());
  if (!privilege.privileged) return err(`${privilege.description}: run as root`);
  const path = await host.which(tool);
  if (path === null)
    return err(`${tool} is not installed (not found on PATH or in /usr/sbin, /usr/bin)`);
  const located = await locateTracefs(host, true);
  if (!located.ok) return err(located.error);
  const format = readKfreeSkbFormat(located.value.root);
  if (!format.ok) return err(format.error);
  if (!format.value.hasReason && needsReason) {
    return err(
      `the skb:kfree_skb tracepoint has no reason field (kernel ${host.kernelRelease()} is older than 5.17); ` +
        `${tool} capture needs it`,
    );
  }
  const fields = format.value.hasReason
    ? `skb:kfree_skb with reason${format.value.hasRxSk ? ' and rx_sk' : ''}`
    : 'skb:kfree_skb WITHOUT a reason field (kernel older than 5.17: drops come without reasons)';
  const notes = [path, fields, privilege.description];
  if (located.value.note !== null) notes.push(located.value.note);
  return ok({ tool: path, format: format.value, notes });
}

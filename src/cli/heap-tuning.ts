/**
 * V8 heap settings changed at run time, for the commands whose shape V8's defaults do not fit.
 * Only settings V8 reads each time it sizes the heap take effect this late (the sizes fixed when
 * the heap was made do not), so each says which it is.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * A long batch keeps little alive (the journal's byte places, the lines in flight) but makes
 * garbage at a steady rate, and V8 lets the heap grow to about four times what survives a full
 * collection before collecting again: measured on 15,000 lines, a 106 MiB heap holding 25 MiB
 * alive, 163 MiB resident. Growing it by half instead keeps it at 60 MiB (116 MiB resident) for
 * about 10% more CPU, which a run paced by the vendor's latency does not notice. V8 reads this
 * setting each time it sizes the heap, so setting it now takes effect.
 */
export function keepHeapSmall(): void {
  setFlagsFromString('--heap-growing-percent=50');
}

/**
 * A chat lives long and works in bursts (a resumed backlog, a 50,000-word reply), through which V8
 * grows its young generation to its 32 MiB maximum and keeps it: 155-167 MiB peak RSS where about
 * 40 MiB is live. Letting it grow to 16 MiB and no further keeps a frame's garbage dying young
 * while the peak stays near what is live. The maximum is fixed once the heap exists, but the growth
 * factor is read at each growth, so it is set to 1 (no more growth) once the 16 MiB is reached.
 */
export function keepYoungGenerationSmall(): void {
  const watch = setInterval(() => {
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (!young || young.space_size < YOUNG_GENERATION_MOST) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    clearInterval(watch);
  }, 50);
  watch.unref();
}

const YOUNG_GENERATION_MOST = 16 * 1024 * 1024;

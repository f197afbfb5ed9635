/** Progress of long work on one line: a bar, the percentage, the rate and the time left. */

export interface ProgressCount {
  done: number;
  total: number;
  /** What `done` and `total` count, e.g. "customers". */
  unit: string;
  /** What the rate counts (by default `done`), e.g. rows written while customers are seeded. */
  rate?: { count: number; unit: string };
  elapsedMs: number;
}

export function progressBar(label: string, { done, total, unit, rate = { count: done, unit }, elapsedMs }: ProgressCount): string {
  const fraction = total ? done / total : 1;
  const width = 30;
  const filled = Math.round(fraction * width);
  const seconds = elapsedMs / 1000;
  const perSecond = seconds > 0 ? rate.count / seconds : 0;
  const eta = fraction > 0 ? seconds / fraction - seconds : 0;
  return (
    `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
    `${done.toLocaleString("en")}/${total.toLocaleString("en")} ${unit}, ` +
    `${Math.round(perSecond).toLocaleString("en")} ${rate.unit}/s, ETA ${eta.toFixed(0)} s`
  );
}

/**
 * Prints progress lines: rewritten in place on a terminal, otherwise one every 2 s and the last.
 * `end()` finishes the line before the summary.
 */
export function progressPrinter(): { step(message: string): void; show(line: string, last: boolean): void; end(): void } {
  const interactive = process.stdout.isTTY;
  let shownAt = 0;
  return {
    step(message) {
      if (interactive) process.stdout.write("\n");
      console.log(`  ${message}…`);
    },
    show(line, last) {
      if (interactive) process.stdout.write(`\r${line}`);
      else if (last || Date.now() - shownAt > 2000) {
        shownAt = Date.now();
        console.log(line);
      }
    },
    end() {
      if (interactive) process.stdout.write("\n");
    },
  };
}

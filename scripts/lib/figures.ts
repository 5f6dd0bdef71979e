// The table of figures a benchmark prints at its end: each figure, its value, its target and
// whether the target was met.
import os from "node:os";

export interface FigureTable {
  /** Adds a figure (a target and whether it was met, when it has one). */
  row: (figure: string, value: string, target?: string, ok?: boolean | null) => void;
  /** Prints the table through `out`, then the machine's load. */
  print: (out: (line: string) => void) => void;
}

/** The machine's load averages (1, 5 and 15 minutes), for the benches' first and last lines. */
export const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

export function figureTable(): FigureTable {
  const table: { figure: string; value: string; target: string; ok: boolean | null }[] = [];
  return {
    row: (figure, value, target = "", ok = null) => table.push({ figure, value, target, ok }),
    print: (out) => {
      const width = (key: "figure" | "value" | "target") =>
        Math.max(key.length, ...table.map((line) => line[key].length));
      const [fw, vw, tw] = [width("figure"), width("value"), width("target")];
      out("");
      out(`${"figure".padEnd(fw)}  ${"value".padStart(vw)}  ${"target".padEnd(tw)}  met`);
      for (const line of table)
        out(
          `${line.figure.padEnd(fw)}  ${line.value.padStart(vw)}  ${line.target.padEnd(tw)}  ${line.ok === null ? "" : line.ok ? "yes" : "NO"}`,
        );
      out(`load at the end: ${loadAverage()}`);
    },
  };
}

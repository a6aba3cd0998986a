/**
 * Column widths that keep a table inside the terminal. marked-terminal draws tables with
 * cli-table3 at their natural width; one wider than the terminal wraps row by row into a mess
 * of broken borders. Given each column's natural width (padding included) and the room for
 * all of them, this keeps the narrow columns whole and shares the rest among the wide ones,
 * whose cells then wrap inside their column.
 */

/** Undefined when the table fits as it is (or cannot be made to fit: too many columns). */
export function fitColumns(natural: readonly number[], room: number): number[] | undefined {
  const total = natural.reduce((sum, width) => sum + width, 0);
  // Below 3 characters (plus padding) a column is unreadable anyway; leave the table alone.
  if (total <= room || natural.length * 5 > room) return undefined;
  const widths = natural.map(() => 0);
  let remaining = room;
  let open = natural.map((_, index) => index);
  while (open.length > 0) {
    const share = Math.floor(remaining / open.length);
    const small = open.filter((index) => natural[index]! <= share);
    if (small.length === 0) {
      const extra = remaining - share * open.length;
      open.forEach((index, position) => {
        widths[index] = share + (position < extra ? 1 : 0);
      });
      break;
    }
    for (const index of small) {
      widths[index] = natural[index]!;
      remaining -= natural[index]!;
    }
    open = open.filter((index) => natural[index]! > share);
  }
  return widths;
}

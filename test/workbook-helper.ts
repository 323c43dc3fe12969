import type ExcelJS from 'exceljs';

/** A sheet by name, or a failure naming it. */
export function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = workbook.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** The row whose column A reads exactly `label`. */
export function rowOf(ws: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (!found && row.getCell(1).text === label) found = row;
  });
  if (!found) throw new Error(`no row "${label}" on ${ws.name}`);
  return found;
}

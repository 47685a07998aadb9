/** One data row of an ERP file, whatever its format (delimited text or workbook). */
export interface Row {
  /** Physical 1-based line of the file (row number in a workbook) where the row starts. */
  line: number;
  /** Trimmed values keyed by column name (the profile's spelling for the columns it declares). */
  values: Record<string, string>;
  /** Set when the row is malformed (e.g. « 5 champs au lieu de 4 »): reject this row, go on with the file. */
  error?: string;
}

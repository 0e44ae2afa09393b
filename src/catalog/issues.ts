/**
 * What every stage of loading reports: a problem with a file (and line), never thrown. A leaf
 * module, so that each stage (files, parsing, overrides, the catalog) can report without
 * importing the stage that collects the reports.
 */
export interface CatalogIssue {
  level: 'error' | 'warning';
  file: string;
  /** 1-based; 0 when the issue is about the file or the catalog as a whole. */
  line: number;
  message: string;
}

import type { ComponentChildren } from 'preact';
import type { Row } from '../api';
import { csvHref } from '../csv';

/** A column of a table: the field, its heading and how a value reads. */
export interface TableColumn {
  readonly name: string;
  readonly label: string;
  /** How a value reads (text or a link); the CSV keeps the raw value. */
  readonly format?: (value: Row[string], row: Row) => ComponentChildren;
  /** What a null reads in a row that is not withheld, when null means "none" here rather than "withheld". */
  readonly nullText?: string;
}

/** Whether a row is a group the API withheld (its `withheld` column is set). */
export function isWithheld(row: Row): boolean {
  return row['withheld'] !== null && row['withheld'] !== undefined;
}

/**
 * The numbers of a chart as a table, with a CSV download of exactly those rows and columns. Figures the API
 * withheld (a withheld row, or a null figure in a disclosure-controlled answer) read "withheld", never blank.
 */
export function DataTable(props: {
  readonly caption: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly Row[];
  readonly fileName: string;
  /** Null figures are withheld ones (partner and public answers). @default false */
  readonly nullIsWithheld?: boolean;
}) {
  const names = props.columns.map((c) => c.name);
  return (
    <div class="table-block">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard (WCAG 2.1.1). */}
      <section class="table-scroll" tabIndex={0} aria-label={`${props.caption} (table)`}>
        <table>
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th scope="col" key={c.name}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row, i) => (
              <tr key={i} class={isWithheld(row) ? 'withheld' : undefined}>
                {props.columns.map((c) => {
                  const value = row[c.name];
                  const missing = value === null || value === undefined;
                  const withheld =
                    missing && (isWithheld(row) || (props.nullIsWithheld === true && c.nullText === undefined));
                  if (missing && !withheld && c.nullText !== undefined) {
                    return (
                      <td key={c.name} data-column={c.name}>
                        {c.nullText}
                      </td>
                    );
                  }
                  return (
                    <td key={c.name} data-column={c.name}>
                      {withheld ? (
                        <span class="withheld-mark">withheld</span>
                      ) : c.format ? (
                        c.format(value ?? null, row)
                      ) : (
                        show(value)
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <a class="download" href={csvHref(names, props.rows)} download={`${props.fileName}.csv`}>
        Download CSV<span class="visually-hidden"> of {props.caption}</span>
      </a>
    </div>
  );
}

function show(value: Row[string] | undefined): string {
  if (value === null || value === undefined) return '–';
  return String(value);
}

/** 0.7812 → "78.1 %". */
export const percentOfOne = (value: Row[string]) => (typeof value === 'number' ? `${(value * 100).toFixed(1)} %` : '–');
/** 65.06 → "65.1 %". */
export const percent = (value: Row[string]) => (typeof value === 'number' ? `${value.toFixed(1)} %` : '–');

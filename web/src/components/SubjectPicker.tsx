import { SUBJECTS } from '../subjects';

/** The subject filter of a view: one of the dataset's subjects, or all of them (the empty value). */
export function SubjectPicker(props: { readonly value: string; readonly onChange: (subject: string) => void }) {
  return (
    <label>
      Subject
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">all subjects</option>
        {SUBJECTS.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

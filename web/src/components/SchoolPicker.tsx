import { useState } from 'preact/hooks';

/**
 * The school a view is about: a list of the caller's own schools (a school administrator's `custom:school_ids`),
 * else a field for any school id (partners, analysts; the API refuses one outside the caller's scope).
 */
export function SchoolPicker(props: {
  readonly schools: readonly string[];
  readonly value: string;
  readonly onChange: (schoolId: string) => void;
}) {
  const [typed, setTyped] = useState(props.value);
  if (props.schools.length > 0) {
    return (
      <label>
        School
        <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
          {props.schools.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <label>
      School id
      <input
        type="text"
        value={typed}
        onInput={(e) => setTyped(e.currentTarget.value)}
        onChange={(e) => props.onChange(e.currentTarget.value.trim())}
        autoComplete="off"
      />
    </label>
  );
}

/**
 * The form in which header names are compared: lower case, without spaces, underscores, hyphens, dots or a
 * byte order mark. `Student ID`, `studentId`, `student-id` and `STUDENT_ID` all become `studentid`.
 */
export function normalizeHeaderName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_.-]+/g, '');
}

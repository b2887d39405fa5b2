/** The subjects of `exam_results.subject` (the contract's `SubjectName`). */
export const SUBJECTS = ['mathematics', 'reading', 'writing', 'science', 'social_studies', 'languages'] as const;

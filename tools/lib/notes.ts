// The teach-back in notes.md (COURSE.md section 6): `## Teach-back`, one `### ` heading per
// question, each followed by a placeholder line the learner replaces. An answer counts as given
// when the placeholder is gone and it has at least the configured number of words.

export interface Question {
  heading: string;
  /** the text under the heading, HTML comments removed */
  body: string;
}

/** The template's question and the placeholder the learner replaces. */
export interface QuestionTemplate {
  heading: string;
  placeholder: string;
}

export interface Answer {
  question: string;
  answered: boolean;
  words: number;
  /** why it does not count, when it does not */
  reason?: string;
  /** the learner's text, for the instructor to read */
  text: string;
}

/** The `### ` questions of the `## Teach-back` section, in order. */
export function parseTeachBack(markdown: string): Question[] {
  const lines = markdown.replace(/\r\n/g, '\n').replace(/<!--[\s\S]*?-->/g, '').split('\n');
  const start = lines.findIndex((l) => /^##\s+teach-?back\b/i.test(l.trim()));
  if (start < 0) return [];
  const questions: Question[] = [];
  let current: { heading: string; body: string[] } | undefined;
  const close = () => {
    if (current) questions.push({ heading: current.heading, body: current.body.join('\n').trim() });
  };
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break;
    const heading = /^###\s+(.*)$/.exec(line);
    if (heading) {
      close();
      current = { heading: heading[1]!.trim(), body: [] };
    } else if (current) {
      current.body.push(line);
    }
  }
  close();
  return questions;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** The template of a notes.md as committed: each question and its placeholder text. */
export function templateOf(markdown: string): QuestionTemplate[] {
  return parseTeachBack(markdown).map((q) => ({ heading: q.heading, placeholder: q.body }));
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Judge the learner's notes against the template's questions. A question is found by its
 * heading, or by its position when the learner reworded the heading.
 */
export function judgeAnswers(markdown: string, template: QuestionTemplate[], minWords: number): Answer[] {
  const given = parseTeachBack(markdown);
  return template.map((t, index) => {
    const match = given.find((q) => normalize(q.heading) === normalize(t.heading)) ?? (given.length === template.length ? given[index] : undefined);
    if (!match) return { question: t.heading, answered: false, words: 0, reason: 'the question is missing from notes.md', text: '' };
    const placeholderLines = t.placeholder.split('\n').map(normalize).filter(Boolean);
    const bodyLines = match.body.split('\n').map(normalize);
    const words = countWords(match.body);
    if (placeholderLines.length > 0 && placeholderLines.some((p) => bodyLines.includes(p))) {
      return { question: t.heading, answered: false, words, reason: 'not answered (the placeholder is still there)', text: match.body };
    }
    if (words < minWords) {
      const reason = words === 0 ? 'not answered' : `too short: ${words} words, at least ${minWords} needed`;
      return { question: t.heading, answered: false, words, reason, text: match.body };
    }
    return { question: t.heading, answered: true, words, text: match.body };
  });
}

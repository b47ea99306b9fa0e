// The mining rules, pure functions, one step per item so the run can checkpoint between them.
//   stage 1 (group): each spam message of the window is reduced to a template (lowercase,
//     links -> <url>, numbers -> <n>, punctuation dropped) and counted per template;
//   stage 2 (mine): each group with at least min_spam_count messages becomes a pattern.
// Any deterministic rules would do; these find the sample's campaigns of the same spam.
import type { Message } from './message-log.ts';

/** Stage 1's result so far: template -> how many spam messages, and the newest one's id. */
export type Groups = Record<string, { count: number; example: number }>;

export interface Group {
  template: string;
  count: number;
  /** the newest message of the group: its id is the group's position in stage 2 */
  example: number;
}

/** One row of the results table. */
export interface Pattern {
  pattern: string;
  spam_count: number;
  example_message_id: number;
}

export function template(text: string): string {
  return text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' <url> ')
    .replace(/[0-9]+/g, ' <n> ')
    .replace(/[^a-z<> ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Stage 1, one message: spam is counted into its template's group, ham is passed over. */
export function groupMessage(groups: Groups, message: Message): void {
  if (!message.spam) return;
  const key = template(message.text);
  // hasOwn, not ??=: a message reading just "constructor" must not find Object.prototype's
  const group = Object.hasOwn(groups, key) ? groups[key]! : (groups[key] = { count: 0, example: message.id });
  group.count++; // messages come newest first, so the first one seen stays the example
}

/** Stage 2's order: newest example first, the same direction as stage 1. */
export function groupsNewestFirst(groups: Groups): Group[] {
  return Object.entries(groups)
    .map(([key, g]) => ({ template: key, count: g.count, example: g.example }))
    .sort((a, b) => b.example - a.example);
}

/** Stage 2, one group: a pattern when it is common enough, nothing otherwise. */
export function minePattern(group: Group, minSpamCount: number): Pattern | undefined {
  if (group.count < minSpamCount) return undefined;
  return { pattern: group.template, spam_count: group.count, example_message_id: group.example };
}

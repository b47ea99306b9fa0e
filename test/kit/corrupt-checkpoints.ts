// One fixture per G3 case: every way a checkpoint can be wrong that a tool must detect,
// never guess. Levels name their fields differently, so a level describes its own
// checkpoint and gets the cases built from a valid one.

export interface CorruptCase {
  /** the G3 case, e.g. "not JSON" */
  name: string;
  /** the bytes to put where the checkpoint lives */
  content: string;
  /** what the tool's one-line error must mention */
  message: RegExp;
}

export interface CheckpointShape {
  /** a checkpoint the tool would accept, for the volume under test */
  valid: Record<string, unknown>;
  /** the field holding the position (index or byte offset) */
  offsetField: string;
  /** a position past the end of the input under test */
  pastEnd: number;
  /** the field holding the schema version, when the level has one */
  schemaField?: string;
  /** the field tying the checkpoint to its input, when the level has one, and a value for another input */
  inputField?: string;
  foreignValue?: unknown;
  /** a field whose type to get wrong (default: offsetField) */
  typedField?: string;
}

export function corruptCheckpointCases(shape: CheckpointShape): CorruptCase[] {
  const withField = (field: string, value: unknown) => JSON.stringify({ ...shape.valid, [field]: value });
  const typed = shape.typedField ?? shape.offsetField;
  const cases: CorruptCase[] = [
    { name: 'empty file', content: '', message: /empty/i },
    { name: 'not JSON', content: '{"' + shape.offsetField + '": 1', message: /not valid JSON/i },
    { name: 'JSON that is not an object (array)', content: '[1, 2, 3]', message: /not a JSON object/i },
    { name: 'JSON that is not an object (null)', content: 'null', message: /not a JSON object/i },
    { name: `wrong type (${typed} is a string)`, content: withField(typed, '12'), message: new RegExp(typed) },
    { name: `missing field (${shape.offsetField})`, content: JSON.stringify(omit(shape.valid, shape.offsetField)), message: new RegExp(shape.offsetField) },
    { name: `negative offset (${shape.offsetField} = -1)`, content: withField(shape.offsetField, -1), message: new RegExp(shape.offsetField) },
    { name: `offset past the end (${shape.offsetField} = ${shape.pastEnd})`, content: withField(shape.offsetField, shape.pastEnd), message: /exceeds/i },
  ];
  if (shape.schemaField) {
    const current = Number(shape.valid[shape.schemaField]);
    cases.push({ name: `newer schema (${shape.schemaField} = ${current + 1})`, content: withField(shape.schemaField, current + 1), message: /newer/i });
  }
  if (shape.inputField) {
    cases.push({ name: 'written for another input', content: withField(shape.inputField, shape.foreignValue), message: /another input/i });
  }
  return cases;
}

function omit(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = obj;
  return rest;
}

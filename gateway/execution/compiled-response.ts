import {
  ERRORS,
  Variable,
  isCompositeType,
  isCustomScalarType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  type CompositeType,
  type Directive,
  type NamedType,
  type Operation,
  type Schema,
  type Selection,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

/**
 * The answer a gateway returns, shaped from what the registries sent as the operation asks for it:
 * the same result as @apollo/gateway's `computeResponse` (resultShaping.js), the same values, keys in
 * the same order, the same errors at the same paths, but with the operation read once instead of on
 * every request. Apollo's walk asks the operation, on every field of every object, for its skip and
 * include directives, its definition, its response name and its type's kind, and each of those goes
 * through the federation internals' re-exported getters; here those answers are gathered into plain
 * steps the first time an operation is shaped and kept with it (a WeakMap on the operation, which the
 * gateway keeps per document: see `cachedOperationFromDocument`).
 *
 * The walk below mirrors Apollo's step for step (merging into an output value a field already has,
 * the null that bubbles up to the nearest nullable field, the error wording), so that the two can be
 * compared answer by answer: compiled-response.spec.ts holds it to Apollo's on the graph's operations,
 * on answers with nulls, bad values and unknown type names, and on skip and include.
 */

/** What Apollo's executor hands its result shaping (resultShaping.js's computeResponse). */
export interface ComputeResponseArguments {
  operation: Operation;
  variables?: Record<string, unknown>;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: (selection: Selection) => unknown;
}

export interface ComputedResponse {
  data: Record<string, unknown> | null | undefined;
  errors: GraphQLError[];
}

/** `@skip(if:)` or `@include(if:)`: a constant, or the variable to read and the directive (for the message when it is not a boolean). */
interface Condition {
  skip: boolean | { variable: string; directive: Directive<any, any> } | null;
  include: boolean | { variable: string; directive: Directive<any, any> } | null;
}

const FIELD = 0;
const TYPENAME = 1;
const INTROSPECTION = 2;
const FRAGMENT = 3;

type Step = FieldStep | TypenameStep | IntrospectionStep | FragmentStep;

interface FieldStep {
  kind: typeof FIELD;
  condition: Condition | null;
  responseName: string;
  value: ValueShape;
}

interface TypenameStep {
  kind: typeof TYPENAME;
  condition: Condition | null;
  responseName: string;
}

interface IntrospectionStep {
  kind: typeof INTROSPECTION;
  condition: Condition | null;
  responseName: string;
  selection: Selection;
}

interface FragmentStep {
  kind: typeof FRAGMENT;
  condition: Condition | null;
  typeCondition: CompositeType | undefined;
  steps: Step[];
  /** Whether the type condition applies, by the object's `__typename` ('' without one). */
  applies: Map<string, boolean>;
}

const NON_NULL = 0;
const LIST = 1;
const COMPOSITE = 2;
const LEAF = 3;

/** A field's type, outside in, with what its value is checked and shaped by. `selected`: the field has a selection set. */
type ValueShape =
  | { kind: typeof NON_NULL; type: Type; selected: boolean; of: ValueShape }
  | { kind: typeof LIST; type: Type; selected: boolean; of: ValueShape }
  | { kind: typeof COMPOSITE; type: CompositeType; selected: boolean; steps: Step[] | null }
  | { kind: typeof LEAF; type: Type; selected: boolean; valid: (value: unknown) => boolean };

interface CompiledOperation {
  schema: Schema;
  rootType: CompositeType;
  steps: Step[];
  /** The operation's variable defaults, when any step has a condition to evaluate; null otherwise. */
  defaults: Record<string, unknown> | null;
  /** Objects get a prototype (V8 gives them shapes) unless some key of the operation could be `__proto__`. */
  plain: boolean;
  /** Schema types by name, as `__typename` values name them (only names the schema has). */
  types: Map<string, NamedType>;
}

const compiled = new WeakMap<Operation, CompiledOperation>();

/** `computeResponse` of @apollo/gateway, the operation compiled once (see the module's comment). */
export function computeCompiledResponse({ operation, variables, input, introspectionHandling }: ComputeResponseArguments): ComputedResponse {
  if (!input) return { data: input, errors: [] };
  let shape = compiled.get(operation);
  if (!shape) {
    shape = compileOperation(operation);
    compiled.set(operation, shape);
  }
  const walk = new Walk(shape, shape.defaults ? { __proto__: null, ...shape.defaults, ...variables } : {}, introspectionHandling);
  const data = Object.create(null) as Record<string, unknown>;
  const bubbled = walk.applySteps(input, shape.steps, data, shape.rootType);
  return { data: bubbled ? null : data, errors: walk.errors };
}

/** How many type names the shaping of this operation keeps answers for (none before it is first shaped): bounded by the schema. */
export function keptTypeNames(operation: Operation): number {
  const shape = compiled.get(operation);
  if (!shape) return 0;
  let kept = shape.types.size;
  const seen = new Set<Step[]>();
  const count = (steps: Step[] | null): void => {
    if (!steps || seen.has(steps)) return;
    seen.add(steps);
    for (const step of steps) {
      if (step.kind === FRAGMENT) {
        kept += step.applies.size;
        count(step.steps);
      } else if (step.kind === FIELD) {
        let value = step.value;
        while (value.kind === NON_NULL || value.kind === LIST) value = value.of;
        if (value.kind === COMPOSITE) count(value.steps);
      }
    }
  };
  count(shape.steps);
  return kept;
}

function compileOperation(operation: Operation): CompiledOperation {
  const schema = operation.schema();
  const bySelectionSet = new WeakMap<SelectionSet, Step[]>();
  let conditional = false;

  function conditionOf(selection: Selection): Condition | null {
    const element = selection.element;
    const skip = element.appliedDirectivesOf(schema.skipDirective())[0];
    const include = element.appliedDirectivesOf(schema.includeDirective())[0];
    if (!skip && !include) return null;
    conditional = true;
    const read = (directive: Directive<any, any> | undefined) => {
      if (!directive) return null;
      const argument = directive.arguments().if;
      return argument instanceof Variable ? { variable: argument.name, directive } : (argument as boolean);
    };
    return { skip: read(skip), include: read(include) };
  }

  function stepsOf(selectionSet: SelectionSet): Step[] {
    let steps = bySelectionSet.get(selectionSet);
    if (steps) return steps;
    steps = [];
    bySelectionSet.set(selectionSet, steps);
    for (const selection of selectionSet.selections()) {
      const condition = conditionOf(selection);
      if (selection.kind === 'FieldSelection') {
        const field = selection.element;
        const responseName = field.responseName();
        if (field.definition.isSchemaIntrospectionField()) steps.push({ kind: INTROSPECTION, condition, responseName, selection });
        else if (field.name === '__typename') steps.push({ kind: TYPENAME, condition, responseName });
        else steps.push({ kind: FIELD, condition, responseName, value: shapeOf(field.definition.type!, selection.selectionSet) });
      } else {
        steps.push({ kind: FRAGMENT, condition, typeCondition: selection.element.typeCondition, steps: stepsOf(selection.selectionSet), applies: new Map() });
      }
    }
    return steps;
  }

  function shapeOf(type: Type, selectionSet: SelectionSet | undefined): ValueShape {
    const selected = selectionSet !== undefined;
    if (isNonNullType(type)) return { kind: NON_NULL, type, selected, of: shapeOf(type.ofType, selectionSet) };
    if (isListType(type)) return { kind: LIST, type, selected, of: shapeOf(type.ofType, selectionSet) };
    if (isCompositeType(type)) return { kind: COMPOSITE, type, selected, steps: selectionSet ? stepsOf(selectionSet) : null };
    return { kind: LEAF, type, selected, valid: leafCheck(schema, type) };
  }

  const steps = stepsOf(operation.selectionSet);
  return {
    schema,
    rootType: schema.schemaDefinition.rootType(operation.rootKind)!,
    steps,
    defaults: conditional ? operation.collectDefaultedVariableValues() : null,
    // Only an object without a prototype keeps `__proto__` (an alias) as a key. Decided for the whole
    // operation: an object made for one selection of a field may be filled by another selection of it.
    plain: !namesProto(operation.selectionSet, new Set()),
    types: new Map(),
  };
}

/** Whether any selection of the operation, in any fragment, is answered under `__proto__`. */
function namesProto(selectionSet: SelectionSet, seen: Set<SelectionSet>): boolean {
  if (seen.has(selectionSet)) return false;
  seen.add(selectionSet);
  return selectionSet.selections().some((selection) =>
    selection.kind === 'FieldSelection' ? selection.element.responseName() === '__proto__' || (selection.selectionSet !== undefined && namesProto(selection.selectionSet, seen)) : namesProto(selection.selectionSet, seen),
  );
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/** federation-internals' isValidLeafValue for one type, decided once. */
function leafCheck(schema: Schema, type: Type): (value: unknown) => boolean {
  if (isCustomScalarType(type)) return () => true;
  if (isEnumType(type)) {
    const names = new Set(type.values.map((value) => value.name));
    return (value) => typeof value === 'string' && names.has(value);
  }
  if (type === schema.booleanType()) return (value) => typeof value === 'boolean';
  if (type === schema.floatType()) return (value) => typeof value === 'number' && Number.isFinite(value);
  if (type === schema.intType()) return (value) => typeof value === 'number' && Number.isFinite(value) && INTEGER.test(String(value));
  if (type === schema.idType()) return (value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value) && INTEGER.test(String(value)));
  // String, and any other built-in scalar: a string, nothing else.
  return (value) => typeof value === 'string';
}

function assert(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}

const hasOwn = Object.prototype.hasOwnProperty;

/** One shaping of one answer: Apollo's applySelectionSet and updateOutputValue, with the operation's answers gathered beforehand. */
class Walk {
  readonly errors: GraphQLError[] = [];
  private readonly path: (string | number)[] = [];
  /** What the last `update` found: a null to bubble up (isInvalid in Apollo's), and whether an error was recorded below (hasErrors). */
  private invalid = false;
  private hasErrors = false;

  constructor(
    private readonly shape: CompiledOperation,
    private readonly variables: Record<string, unknown>,
    private readonly introspectionHandling: (selection: Selection) => unknown,
  ) {}

  /** True when a null bubbles up out of this object (Apollo's NULL_BUBBLE_UP). */
  applySteps(input: Record<string, any>, steps: Step[], output: Record<string, unknown>, parentType: CompositeType): boolean {
    for (const step of steps) {
      if (step.condition !== null && this.skipped(step.condition)) continue;
      if (step.kind === FRAGMENT) {
        const typename = input.__typename;
        assert(!typename || typeof typename === 'string', () => `Got unexpected value for __typename: ${typename}`);
        if (this.applies(step, typename, parentType) && this.applySteps(input, step.steps, output, step.typeCondition ?? parentType)) return true;
        continue;
      }
      const responseName = step.responseName;
      // Own keys only: an object with a prototype has `constructor` and the rest without having been given them.
      const outputValue = hasOwn.call(output, responseName) ? output[responseName] : undefined;
      if (step.kind === INTROSPECTION) {
        if (outputValue === undefined) output[responseName] = this.introspectionHandling(step.selection);
        continue;
      }
      let inputValue = hasOwn.call(input, responseName) ? input[responseName] ?? null : null;
      if (step.kind === TYPENAME) {
        if (outputValue === undefined) {
          if (inputValue === null && responseName !== '__typename') inputValue = input.__typename ?? null;
          const type = inputValue !== null && typeof inputValue === 'string' ? this.type(inputValue) ?? parentType : parentType;
          if (!isObjectType(type)) return true;
          output[responseName] = type.name;
        }
        continue;
      }
      this.path.push(responseName);
      output[responseName] = this.update(outputValue, step.value, inputValue, parentType);
      this.path.pop();
      if (this.invalid) return true;
    }
    return false;
  }

  private update(outputValue: unknown, shape: ValueShape, inputValue: any, parentType: CompositeType): unknown {
    this.invalid = false;
    this.hasErrors = false;
    if (outputValue === null || (outputValue !== undefined && !shape.selected)) return outputValue;
    switch (shape.kind) {
      case NON_NULL: {
        const updated = this.update(outputValue, shape.of, inputValue, parentType);
        if (updated === null) {
          if (!this.hasErrors) this.error(`Cannot return null for non-nullable ${this.describeLast(shape.of.type, parentType)}.`);
          this.invalid = true;
          this.hasErrors = true;
        } else {
          this.invalid = false;
          this.hasErrors = false;
        }
        return updated;
      }
      case LIST: {
        if (inputValue === null) return null;
        assert(Array.isArray(inputValue), () => `Invalid non-list value ${inputValue} returned by subgraph for list type ${shape.type}`);
        assert(outputValue === undefined || Array.isArray(outputValue), () => `Invalid non-list value ${outputValue} returned by subgraph for list type ${shape.type}`);
        const existing = outputValue as unknown[] | undefined;
        assert(existing === undefined || inputValue.length === existing.length, () => `[${inputValue}].length (${inputValue.length}) !== [${existing}].length (${existing!.length})`);
        let nullify = false;
        let hasErrors = false;
        const updated: unknown[] = [];
        for (let index = 0; index < inputValue.length; index += 1) {
          this.path.push(index);
          updated.push(this.update(existing === undefined ? undefined : existing[index], shape.of, inputValue[index], parentType));
          this.path.pop();
          nullify ||= this.invalid;
          hasErrors ||= this.hasErrors;
        }
        this.invalid = false;
        this.hasErrors = hasErrors;
        return nullify ? null : updated;
      }
      case COMPOSITE: {
        if (inputValue === null) return null;
        assert(shape.steps, () => `Invalid empty selection set for composite type ${shape.type}`);
        assert(typeof inputValue === 'object', () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${shape.type}`);
        assert(outputValue === undefined || typeof outputValue === 'object', () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${shape.type}`);
        const typename = inputValue.__typename;
        assert(typename === undefined || typeof typename === 'string', () => `Invalid non-string value ${typename} for __typename at ${this.path}`);
        let objectType = shape.type;
        if (typename) {
          const named = this.type(typename);
          if (!named || !isCompositeType(named)) {
            this.error(`Invalid __typename found for object at ${this.describeLast(shape.type, parentType)}.`);
            this.hasErrors = true;
            return null;
          }
          objectType = named;
        }
        // A plain object gets a shape from V8, which makes it quicker to fill and to write as JSON.
        const output = outputValue !== undefined ? (outputValue as Record<string, unknown>) : this.shape.plain ? {} : (Object.create(null) as Record<string, unknown>);
        const bubbled = this.applySteps(inputValue, shape.steps, output, objectType);
        this.invalid = false;
        this.hasErrors = bubbled;
        return bubbled ? null : output;
      }
      case LEAF: {
        if (inputValue === null) return null;
        assert(outputValue === undefined, () => `Excepted output to be undefined but got ${shape.type} for type ${shape.type}`);
        if (shape.valid(inputValue)) return inputValue;
        this.error(`Invalid value found for ${this.describeLast(shape.type, parentType)}.`);
        this.hasErrors = true;
        return null;
      }
    }
  }

  private skipped(condition: Condition): boolean {
    return (condition.skip !== null && this.conditionValue(condition.skip)) || (condition.include !== null && !this.conditionValue(condition.include));
  }

  private conditionValue(argument: NonNullable<Condition['skip']>): boolean {
    if (typeof argument === 'boolean') return argument;
    const value = this.variables[argument.variable];
    assert(value !== undefined && typeof value === 'boolean', () => `Unexpected value ${value} for variable $${argument.variable} of ${argument.directive}`);
    return value;
  }

  private applies(step: FragmentStep, typename: string | undefined, parentType: CompositeType): boolean {
    if (!step.typeCondition) return true;
    // Without a type name the parent type is the one this step's place gives (the field's type or the enclosing fragment's condition), always the same.
    const key = typename || '';
    let applies = step.applies.get(key);
    if (applies === undefined) {
      if (typename) {
        const type = this.type(typename);
        // A name the schema does not know is not kept: a registry could send endless different ones.
        if (!type) return false;
        applies = isSubtype(step.typeCondition, type);
      } else {
        applies = isSubtype(step.typeCondition, parentType);
      }
      step.applies.set(key, applies);
    }
    return applies;
  }

  /** The schema's type of this name; only the schema's names are kept, so the map stays as small as the schema. */
  private type(name: string): NamedType | undefined {
    const types = this.shape.types;
    let type = types.get(name);
    if (type === undefined) {
      type = this.shape.schema.type(name);
      if (type) types.set(name, type);
    }
    return type;
  }

  private describeLast(currentType: Type, parentType: CompositeType): string {
    const element = this.path[this.path.length - 1];
    return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
  }

  private error(message: string): void {
    this.errors.push(ERRORS.INVALID_GRAPHQL.err(message, { path: Array.from(this.path) }));
  }
}

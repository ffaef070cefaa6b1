/**
 * A logpoint's message with its `{expression}` parts replaced by their values in one frame, the way
 * VS Code writes logpoints ("i = {i}, sum = {sum}"). An expression that cannot be evaluated shows why,
 * in angle brackets, instead of stopping the output.
 */
import { evaluateExpression } from './expressions/evaluate';
import { formatValue } from './values/format';
import { ValueContext } from './values/value';

export function logMessage(ctx: ValueContext, message: string): string {
  return message.replace(/\{([^}]+)\}/g, (_, expression: string) => {
    try {
      return formatValue(ctx, evaluateExpression(ctx, expression));
    } catch (e) {
      return `<${(e as Error).message}>`;
    }
  });
}

/**
 * The command line of every command, read by node:util parseArgs: an unknown option or a bad value
 * ends the command with the message and its usage line (exit code 2), before anything is done.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

export function usageError(usage: string, message: string): never {
  console.error(`${message}\nUsage: ${usage}`);
  process.exit(2);
}

/** `config` applied to this process's arguments (strict: unknown options are refused). */
export function commandLine<const T extends Omit<ParseArgsConfig, "args">>(usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ ...config, args: process.argv.slice(2) });
  } catch (error) {
    return usageError(usage, error instanceof Error ? error.message : String(error));
  }
}

/** An option's value as a positive number (a whole one when `whole`), or `fallback` when it is absent. */
export function positiveOption<F extends number | undefined>(
  usage: string,
  name: string,
  text: string | undefined,
  fallback: F,
  whole = false,
): number | F {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value)))
    usageError(usage, `--${name} needs a positive ${whole ? "whole " : ""}number.`);
  return value;
}

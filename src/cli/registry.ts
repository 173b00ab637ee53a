// Every model command, in the order of the report.
import type { Command } from './command.js';
import { kmeans } from './commands/kmeans.js';
import { gmm } from './commands/gmm.js';

export const COMMANDS: Command[] = [
  kmeans, gmm,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

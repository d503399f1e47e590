import type { ComponentImplementation } from '../dsl/component-definition';
import type { IoSpec } from '../dsl/types';

/** What a component file holds, whichever format it was in: the facts a component is made of. */
export interface ParsedComponent {
  readonly format: 'v1' | 'ir';
  readonly name: string;
  readonly description?: string;
  readonly inputs: Readonly<Record<string, IoSpec>>;
  readonly outputs: Readonly<Record<string, IoSpec>>;
  readonly implementation: ComponentImplementation;
  /**
   * Descriptions of inputs and outputs, for generated documentation. v1 descriptions stay out of
   * the specs because the reference leaves them out of the IR.
   */
  readonly docs: { readonly inputs: Readonly<Record<string, string>>; readonly outputs: Readonly<Record<string, string>> };
}

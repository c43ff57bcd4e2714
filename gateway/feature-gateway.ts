import type { GatewayInterface, GatewayLoadResult, GatewaySchemaLoadOrUpdateCallback, GatewayUnsubscriber } from '@apollo/server-gateway-interface';
import type { GatewayExecution } from './features/feature';

/**
 * @apollo/gateway behind its public interface, with the features' onExecute hooks run on each
 * request before it plans and executes (authorization gives it the filtered document there).
 */
export class FeatureGateway implements GatewayInterface {
  constructor(
    private readonly inner: GatewayInterface,
    private readonly onExecute: readonly ((execution: GatewayExecution) => GatewayExecution)[],
  ) {}

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): GatewayUnsubscriber {
    return this.inner.onSchemaLoadOrUpdate(callback);
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    const { executor } = await this.inner.load(options);
    if (!executor) return { executor };
    return { executor: (execution) => executor(this.onExecute.reduce((prepared, hook) => hook(prepared as GatewayExecution), execution)) };
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}

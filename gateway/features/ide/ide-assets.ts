import { createRequire } from 'node:module';
import { StaticAsset } from '../../http/static-asset';

/** Where the IDE's files are served, each under an address that names its content. */
export const IDE_ASSETS_PATH = '/ide';

/** GraphiQL as Yoga builds it for inlining: script and styles, a data: URL favicon, the editor's workers. */
interface YogaGraphiQLBuild {
  js: string;
  css: string;
  favicon: string;
  editorWorkerService: string;
  jsonWorker: string;
  graphqlWorker: string;
}

/** The addresses the page names its files by. */
export interface IdeAddresses {
  script: string;
  styles: string;
  favicon: string;
  /** Monaco's workers by the label it asks for them with. */
  workers: { editorWorkerService: string; json: string; graphql: string };
}

const JS = 'text/javascript; charset=utf-8';

/** `/ide/<name>.<hash>.<ext>`: an address that changes with the content. */
function addressOf(name: string, extension: string, asset: StaticAsset): string {
  return `${IDE_ASSETS_PATH}/${name}.${asset.hash}.${extension}`;
}

/**
 * The IDE's files: GraphiQL's script, styles, favicon and editor workers (about 9 MB), each served at
 * `/ide/<name>.<hash>.<ext>` so that a browser keeps it until the gateway serves another build. The
 * page itself, made at each visit for its fresh tokens, only names them. Read from Yoga's build at
 * the first visit: a gateway that never shows the IDE does not hold them.
 */
export class IdeAssets {
  private files?: { addresses: IdeAddresses; byPath: Map<string, StaticAsset> };
  private schema?: { address: string; asset: StaticAsset };

  addresses(): IdeAddresses {
    return this.loaded().addresses;
  }

  /** The schema the page gives the docs explorer when it may not introspect, as a script setting `dmxIdeSchema`; none clears it. */
  setSchema(introspection: unknown): void {
    if (introspection === undefined) {
      this.schema = undefined;
      return;
    }
    const asset = new StaticAsset(JS, Buffer.from(`self.dmxIdeSchema = ${JSON.stringify(introspection)};\n`));
    this.schema = { address: addressOf('schema', 'js', asset), asset };
  }

  /** The address of the schema's script, when there is one. */
  get schemaAddress(): string | undefined {
    return this.schema?.address;
  }

  find(pathname: string): StaticAsset | undefined {
    if (this.schema?.address === pathname) return this.schema.asset;
    return this.loaded().byPath.get(pathname);
  }

  private loaded(): NonNullable<IdeAssets['files']> {
    if (this.files) return this.files;
    const build = createRequire(__filename)('@graphql-yoga/render-graphiql/graphiql') as YogaGraphiQLBuild;
    const byPath = new Map<string, StaticAsset>();
    const add = (name: string, extension: string, asset: StaticAsset): string => {
      const address = addressOf(name, extension, asset);
      byPath.set(address, asset);
      return address;
    };
    const text = (type: string, source: string) => new StaticAsset(type, Buffer.from(source));
    const favicon = /^data:([^;,]+);base64,(.*)$/s.exec(build.favicon);
    if (!favicon) throw new Error('GraphiQL build: the favicon is not a base64 data: URL');
    this.files = {
      byPath,
      addresses: {
        script: add('graphiql', 'js', text(JS, build.js)),
        styles: add('graphiql', 'css', text('text/css; charset=utf-8', build.css)),
        favicon: add('favicon', 'ico', new StaticAsset(favicon[1]!, Buffer.from(favicon[2]!, 'base64'))),
        workers: {
          editorWorkerService: add('editor.worker', 'js', text(JS, build.editorWorkerService)),
          json: add('json.worker', 'js', text(JS, build.jsonWorker)),
          graphql: add('graphql.worker', 'js', text(JS, build.graphqlWorker)),
        },
      },
    };
    return this.files;
  }
}

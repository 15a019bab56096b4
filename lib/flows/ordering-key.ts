/**
 * A flow's `delivery` settings (docs/flows.md, "Parallel delivery") and the
 * ordering key of a page: the flow's `orderingKey` template rendered over the
 * page's FIRST record, with the context an import template sees in record mode
 * (`record`, `recordIndex`, `records`, `page`, `job`, `listener`). A page of
 * several records (`records.pageSize` > 1) is one request and keeps one
 * place in its key's order; it is not split by key.
 *
 * A key that renders empty, or whose template fails to render (e.g. a
 * `required` value missing), is the key "": those pages keep their order among
 * themselves, so a missing field slows delivery down rather than losing order.
 */
import type { FlowDelivery, FlowDoc } from '../store/store';
import { compileTemplate, type RenderTemplate } from '../templates';
import type { PageWork } from './page-delivery';

/** Flows stored before `delivery` existed deliver one page at a time. */
export const DEFAULT_DELIVERY: FlowDelivery = Object.freeze({ concurrency: 1, orderingKey: null });

export function deliveryOf(flow: Pick<FlowDoc, 'delivery'>): FlowDelivery {
  return flow.delivery ?? DEFAULT_DELIVERY;
}

/** Whether the flow needs the keyed worker: more than one page in flight. */
export function isParallel(flow: Pick<FlowDoc, 'delivery'>): boolean {
  return deliveryOf(flow).concurrency > 1;
}

/** The parts of a page the key sees. */
export type KeyedPage = Pick<PageWork, 'job' | 'listener' | 'pageIndex' | 'records' | 'traceKeys' | 'dataUris'>;

/** Gives each page its key; null when the flow has no key (no order between pages). */
export type PageKey = (page: KeyedPage) => string | null;

/** Compiles the key template once (it was checked when the flow was saved). */
export function compilePageKey(source: string | null): PageKey {
  if (source === null) return () => null;
  const render: RenderTemplate = compileTemplate(source, '/delivery/orderingKey');
  return (page) => {
    try {
      return render({
        record: page.records[0], recordIndex: 0, records: page.records,
        page: { index: page.pageIndex, count: page.records.length, traceKeys: page.traceKeys, dataUris: page.dataUris },
        job: page.job, listener: page.listener,
      });
    } catch {
      return '';
    }
  };
}

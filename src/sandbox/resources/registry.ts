// One explicit list of the resources with behaviour of their own (STYLE.md: no registration by import side effect).
import type { ShopState } from '../state.ts';
import type { ResourceHooks } from '../write.ts';
import { categoryHooks, combinationHooks, productHooks, stockHooks } from './catalog-hooks.ts';
import { customerHooks, customerMessageHooks, specificPriceHooks } from './customer-hooks.ts';
import { cartHooks, orderCarrierHooks, orderHistoryHooks, orderHooks } from './order-hooks.ts';

export function hooksFor(resource: string, state: ShopState): ResourceHooks {
  switch (resource) {
    case 'products': return {
      ...productHooks,
      // Product::delete() removes its stock_available rows too (StockAvailable::removeProductFromStockAvailable).
      onDelete: (id) => {
        for (const row of state.store.lookup('stock_availables', 'id_product', [String(id)]) ?? []) state.store.delete('stock_availables', Number(row.id));
      },
    };
    case 'categories': return categoryHooks;
    case 'combinations': return combinationHooks;
    case 'stock_availables': return stockHooks;
    case 'customers': return customerHooks;
    case 'specific_prices': return specificPriceHooks;
    case 'customer_messages': return customerMessageHooks;
    case 'orders': return orderHooks(state);
    case 'order_histories': return orderHistoryHooks(state);
    case 'order_carriers': return orderCarrierHooks;
    case 'carts': return cartHooks;
    default: return {};
  }
}

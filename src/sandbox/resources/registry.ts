// One explicit list of the resources with behaviour of their own (STYLE.md: no registration by import side effect).
import type { ShopState } from '../state.ts';
import type { ResourceHooks } from '../write.ts';
import { categoryHooks } from './categories.ts';
import { combinationDelete, combinationHooks, productOptionHooks, productOptionValueHooks } from './combinations.ts';
import { addressHooks, customerHooks, groupHooks } from './customers.ts';
import { customerMessageDelete, customerMessageHooks, customerThreadHooks } from './messages.ts';
import { cartHooks, orderCarrierHooks, orderHistoryHooks, orderHooks } from './order-hooks.ts';
import { specificPriceHooks } from './prices.ts';
import { productHooks } from './products.ts';
import { stockHooks } from './stock.ts';

export function hooksFor(resource: string, state: ShopState): ResourceHooks {
  const { store } = state;
  const now = (): string => state.clock.now();
  switch (resource) {
    case 'products': return productHooks(state);
    case 'categories': return categoryHooks(store);
    case 'combinations': return { ...combinationHooks, delete: combinationDelete(store) };
    case 'product_options': return productOptionHooks(store);
    case 'product_option_values': return productOptionValueHooks(store);
    case 'stock_availables': return stockHooks;
    case 'customers': return customerHooks(store, now);
    case 'addresses': return addressHooks(store, now);
    case 'groups': return groupHooks(store);
    case 'specific_prices': return specificPriceHooks;
    case 'customer_threads': return customerThreadHooks;
    case 'customer_messages': return { ...customerMessageHooks, delete: customerMessageDelete(store) };
    case 'orders': return orderHooks(state);
    case 'order_histories': return orderHistoryHooks(state);
    case 'order_carriers': return orderCarrierHooks(state);
    case 'carts': return cartHooks;
    default: return {};
  }
}

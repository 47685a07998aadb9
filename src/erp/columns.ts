// The one rule for a column name in a profile's layout, shared by every flow's schema.
import { z } from 'zod';

export const columnName = z.string().trim().min(1);

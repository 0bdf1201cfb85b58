import { z } from 'zod';

// The page CSP allows no eval: zod's JIT would only probe `Function('')`, fail and fall back, but the
// probe itself is reported as a CSP violation. Jitless parsing is what the browser gets either way.
z.config({ jitless: true });

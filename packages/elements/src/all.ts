/** Registers every consult-kit element (guarded: a second copy never throws). */
import './star-rating/consult-star-rating.js';
import './topic-form/consult-topic-form.js';

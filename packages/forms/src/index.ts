/**
 * @sendco/forms: the one form engine (typed questions, their checks, their GraphQL types) for
 * the clinics booking form and the Enhanced Pathways application and cohort forms.
 */
import 'reflect-metadata';

export * from './form';
export * from './graphql';

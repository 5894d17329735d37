/**
 * The query limits of src/api/limits.ts (depth and aliases measured by
 * graphql-armor, the cost by our own formula) on a small schema of their
 * own, with every measure worked by hand from that file's definitions.
 */
import { buildSchema, getIntrospectionQuery, GraphQLError, parse, validate } from 'graphql'
import { aliasRule, complexityRule, depthRule, measureOperation, queryLengthError } from '../../src/api/limits'
import { DEFAULT_PAGE, MAX_PAGE } from '../../src/api/pagination'

const schema = buildSchema(`
  type Query { item(id: ID!): Item  items(first: Int, after: String, last: Int, before: String): ItemConnection!  meta: Meta! }
  type Meta { height: Int }
  type Item { id: ID!  name: String  parent: Item  children(first: Int, last: Int): ItemConnection! }
  type ItemConnection { nodes: [Item!]!  edges: [ItemEdge!]! }
  type ItemEdge { cursor: String!  node: Item! }
`)

const measure = (query: string, variables: Record<string, unknown> = {}) => measureOperation(schema, parse(query), variables)

const codes = (errors: readonly GraphQLError[]) => errors.map((e) => e.extensions.code)

describe('depth', () => {
  test('counts field levels, through fragments and inline fragments', () => {
    expect(measure('{ meta { height } }').depth).toBe(2)
    expect(measure('{ item(id: 1) { parent { parent { id } } } }').depth).toBe(4)
    expect(measure('{ item(id: 1) { ...P } } fragment P on Item { parent { ... on Item { parent { id } } } }').depth).toBe(4)
  })

  test('__schema is not counted, so the standard introspection query passes; __type is', () => {
    expect(measure(getIntrospectionQuery({ inputValueDeprecation: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true })).depth).toBe(0)
    expect(measure('{ meta { height } __schema { types { name } } }').depth).toBe(2)
    expect(measure('{ __type(name: "Item") { fields { type { ofType { name } } } } }').depth).toBe(5)
    expect(validate(schema, parse(getIntrospectionQuery()), [depthRule(12)])).toEqual([])
  })

  test('a deeper query fails with QUERY_TOO_DEEP naming the limit', () => {
    const errors = validate(schema, parse('{ item(id: 1) { parent { parent { parent { id } } } } }'), [depthRule(4)])
    expect(codes(errors)).toEqual(['QUERY_TOO_DEEP'])
    expect(errors[0].message).toBe('the query nests 5 levels deep; the limit is 4')
    expect(errors[0].extensions).toMatchObject({ limit: 4, actual: 5 })
  })
})

describe('aliases', () => {
  test('are counted once per spread of their fragment, __typename too', () => {
    expect(measure('{ a: meta { height } b: meta { h: height } }').aliases).toBe(3)
    expect(measure('{ t: __typename meta { u: __typename } }').aliases).toBe(2)
    expect(measure('{ x: item(id: 1) { ...F } y: item(id: 2) { ...F } } fragment F on Item { p: parent { id } q: parent { id } }').aliases).toBe(6)
  })

  test('over the limit fail with TOO_MANY_ALIASES', () => {
    const q = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: meta { height }`).join(' ')} }`
    expect(codes(validate(schema, parse(q), [aliasRule(30)]))).toEqual(['TOO_MANY_ALIASES'])
    expect(validate(schema, parse(q), [aliasRule(31)])).toEqual([])
  })
})

describe('cost', () => {
  test('each field costs 1; a list multiplies its selection by first/last', () => {
    // items: 1 + 10 × nodes(1 + id 1 + name 1) = 31
    expect(measure('{ items(first: 10) { nodes { id name } } }').cost).toBe(31)
    expect(measure('{ items(last: 4) { nodes { id } } }').cost).toBe(1 + 4 * 2)
    // items: 1 + 10 × nodes(1 + children(1 + 5 × nodes(1 + id 1))) = 1 + 10 × (1 + 11) = 121
    expect(measure('{ items(first: 10) { nodes { children(first: 5) { nodes { id } } } } }').cost).toBe(121)
  })

  test(`a list without first/last counts ${DEFAULT_PAGE}; over ${MAX_PAGE} counts ${MAX_PAGE} (the field refuses it)`, () => {
    expect(measure('{ items { nodes { id } } }').cost).toBe(1 + DEFAULT_PAGE * 2)
    expect(measure('{ items(first: 100000) { nodes { id } } }').cost).toBe(1 + MAX_PAGE * 2)
  })

  test('reads first/last from variables, then from the variable default', () => {
    const q = 'query($n: Int = 7) { items(first: $n) { nodes { id } } }'
    expect(measure(q, { n: 5 }).cost).toBe(1 + 5 * 2)
    expect(measure(q).cost).toBe(1 + 7 * 2)
    expect(measure('query($n: Int) { items(first: $n) { nodes { id } } }').cost).toBe(1 + DEFAULT_PAGE * 2)
  })

  test('over the limit fails with QUERY_TOO_COMPLEX; the same rule passes with small variables', () => {
    const q = parse('query($n: Int) { a: items(first: $n) { nodes { id name } } b: items(first: $n) { nodes { id name } } }')
    const errors = validate(schema, q, [complexityRule(5000, { n: 1000 })])
    expect(codes(errors)).toEqual(['QUERY_TOO_COMPLEX'])
    expect(errors[0].extensions).toMatchObject({ limit: 5000, actual: 2 * (1 + 1000 * 3) })
    expect(validate(schema, q, [complexityRule(5000, { n: 10 })])).toEqual([])
  })

  test('fragments spread into fragments are measured once each, not once per path', () => {
    // 40 fragments, each spreading the next twice: 2^40 paths if expanded naively.
    const frags = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Item { id ${i < 39 ? `a: parent { ...F${i + 1} } b: parent { ...F${i + 1} }` : ''} }`)
    const m = measure(`{ item(id: 1) { ...F0 } } ${frags.join(' ')}`)
    expect(m.depth).toBe(41)
    expect(m.aliases).toBe(2 ** 40 - 2)
    expect(m.cost).toBeGreaterThan(2 ** 40)
  })
})

test('query length: QUERY_TOO_LONG over the limit', () => {
  expect(queryLengthError('{ meta { height } }', 100)).toBeUndefined()
  const e = queryLengthError(`{ meta { height } } # ${'x'.repeat(200)}`, 100)!
  expect(e.extensions).toMatchObject({ code: 'QUERY_TOO_LONG', limit: 100 })
})

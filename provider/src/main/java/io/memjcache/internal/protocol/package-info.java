/**
 * The memcached binary protocol as bytes: opcodes, statuses, request encoding and an incremental
 * response decoder. Nothing here knows about channels or sockets, so it is testable with byte arrays.
 *
 * <p>Every frame starts with a 24-byte header, followed by extras, key and value, in that order:
 *
 * <pre>
 *   Byte/     0       |       1       |       2       |       3       |
 *      /              |               |               |               |
 *     |0 1 2 3 4 5 6 7|0 1 2 3 4 5 6 7|0 1 2 3 4 5 6 7|0 1 2 3 4 5 6 7|
 *     +---------------+---------------+---------------+---------------+
 *    0| magic         | opcode        | key length                    |
 *     +---------------+---------------+---------------+---------------+
 *    4| extras length | data type     | vbucket (req) / status (resp) |
 *     +---------------+---------------+---------------+---------------+
 *    8| total body length (extras + key + value)                      |
 *     +---------------+---------------+---------------+---------------+
 *   12| opaque (echoed back by the server)                            |
 *     +---------------+---------------+---------------+---------------+
 *   16| CAS                                                           |
 *     |                                                               |
 *     +---------------+---------------+---------------+---------------+
 * </pre>
 *
 * <p>Requests carry magic {@code 0x80}, responses {@code 0x81}. All integers are big-endian. Quiet
 * opcodes send no response on their ordinary outcome (a miss for quiet gets, success for quiet
 * mutations); a later non-quiet response on the same connection proves they completed.
 */
package io.memjcache.internal.protocol;

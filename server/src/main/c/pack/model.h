/* The context-mixing model of the self-extracting binary, shared by the packer (pack.c, run
 * at build time) and the unpacker (unpack.c, the start of the shipped binary). Both must
 * predict every bit the same, so this is integer arithmetic only (no floating point, whose
 * rounding could differ between the build machine and an arm64 node).
 *
 * How it works (the way 4 KiB demo packers such as Crinkler do it): each bit of the server's
 * code is coded with a probability. A few context models each look at some of the previous
 * 8 bytes (a mask says which; on arm64 also the byte's place in its 4-byte instruction),
 * hash that with the bits of the current byte seen so far, and count, per hash slot, the
 * zeros and ones that followed. The prediction is all models' counts added up, each model's
 * scaled by its weight (a power of two), and more where a slot has only ever seen one bit
 * value. An arithmetic coder turns the probabilities into bytes. Masks and weights were
 * searched for this code; the unpacker is a few hundred bytes. */
#ifndef MODEL_H
#define MODEL_H

#define MODEL_TABLE_BITS 20 /* 1 Mi slots of 3 bytes: 3 MiB, for the unpacking only */
#define MODEL_MAX 16

struct model_params {
    int count;                   /* context models */
    const unsigned short *masks; /* bit k: the byte k+1 back; bit 8: the offset in 4 bytes */
    const unsigned char *shifts; /* each model's weight: its counts << shift */
    int sure;                    /* added to the shift of a slot that saw only zeros or ones */
};

/* Searched per architecture on the server's code (greedy: add, drop or change one model,
 * then the weights, until nothing packs smaller). They only need to be good, not exact:
 * with other values the binary still unpacks right, a little larger. */
static const unsigned short amd64_masks[] = { 0, 0x1, 0x3, 0x11, 0x2, 0x5, 0x39, 0x1, 0x4, 0x5a, 0x6, 0x7, 0x9, 0xa, 0x12, 0x23 };
static const unsigned char amd64_shifts[] = { 0, 0, 3, 2, 1, 2, 5, 1, 0, 3, 1, 3, 2, 1, 1, 3 };
static const struct model_params amd64_params = { 16, amd64_masks, amd64_shifts, 1 };
static const unsigned short arm64_masks[] = { 0x100, 0x101, 0x1b, 0, 0x102, 0x22, 0x3, 0x112, 0x5, 0x7, 0x104, 0x109, 0x60, 0xa, 0x6, 0x1b1 };
static const unsigned char arm64_shifts[] = { 0, 2, 3, 0, 0, 0, 1, 0, 1, 1, 0, 2, 0, 0, 0, 0 };
static const struct model_params arm64_params = { 16, arm64_masks, arm64_shifts, 1 };

struct model {
    /* per slot: 8 bits of its context's hash (0: empty; another context's slot is taken over,
     * which packs as well as 4 Mi slots without the check), the zeros and the ones seen */
    unsigned char slots[1 << MODEL_TABLE_BITS][3];
    unsigned context[MODEL_MAX];                /* this byte's hash per model */
    unsigned hash[MODEL_MAX];                   /* this bit's hash per model: its slot and check */
};

/* Before each byte: every model hashes the bytes its mask selects (0 before the start). */
static void model_byte(struct model *m, const struct model_params *mp, const unsigned char *data,
                       unsigned long pos)
{
    for (int i = 0; i < mp->count; i++) {
        unsigned h = (i + 1) * 0x9E3779B1u, mask = mp->masks[i];
        for (unsigned k = 0; k < 8; k++)
            if (mask >> k & 1)
                h = (h + (pos > k ? data[pos - 1 - k] : 0) + 1) * 0x2F0F3B5u;
        if (mask & 0x100)
            h = (h + (pos & 3) + 1) * 0x2F0F3B5u;
        m->context[i] = h;
    }
}

/* P(next bit is 1) in 12 bits, given the bits of this byte so far (partial: 1, then 1b, 1bb...). */
static unsigned model_predict(struct model *m, const struct model_params *mp, unsigned partial)
{
    unsigned long zeros = 1, ones = 1;
    for (int i = 0; i < mp->count; i++) {
        unsigned h = m->hash[i] = (m->context[i] + partial * 0x6F4F2A35u) * 0x9E3779B1u;
        unsigned char *slot = m->slots[h >> (32 - MODEL_TABLE_BITS)];
        unsigned z = 0, o = 0;
        if (slot[0] == (unsigned char)(h | 1))
            z = slot[1], o = slot[2];
        unsigned shift = mp->shifts[i] + (z && o ? 0 : mp->sure);
        zeros += (unsigned long)z << shift;
        ones += (unsigned long)o << shift;
    }
    unsigned p = (ones << 12) / (zeros + ones);
    return p < 1 ? 1 : p > 4095 ? 4095 : p;
}

/* After each bit: every slot counts it, and forgets half of what it saw of the other value. */
static void model_update(struct model *m, const struct model_params *mp, int bit)
{
    for (int i = 0; i < mp->count; i++) {
        unsigned h = m->hash[i];
        unsigned char *slot = m->slots[h >> (32 - MODEL_TABLE_BITS)];
        if (slot[0] != (unsigned char)(h | 1))
            slot[0] = h | 1, slot[1] = slot[2] = 0;
        unsigned char *same = slot + 1 + bit, *other = slot + 2 - bit;
        if (*same < 255)
            ++*same;
        if (*other > 1)
            *other = *other / 2 + 1;
    }
}

/* Unpacks len bytes from in (what pack.c wrote) to out, with m zeroed. The unpacker runs this
 * at start; pack.c runs it on its own output before writing it. Inlined: as a call it costs
 * the unpacker 16 bytes. */
static inline __attribute__((always_inline)) void
model_unpack(struct model *m, const struct model_params *mp, const unsigned char *in, unsigned char *out,
             unsigned long len)
{
    unsigned x1 = 0, x2 = 0xffffffff, x = 0;
    for (int i = 0; i < 4; i++)
        x = x << 8 | *in++;
    for (unsigned long pos = 0; pos < len; pos++) {
        model_byte(m, mp, out, pos);
        unsigned partial = 1;
        while (partial < 256) {
            unsigned middle = x1 + ((x2 - x1) >> 12) * model_predict(m, mp, partial);
            int bit = x <= middle;
            if (bit)
                x2 = middle;
            else
                x1 = middle + 1;
            model_update(m, mp, bit);
            partial = partial * 2 + bit;
            for (; ((x1 ^ x2) & 0xff000000) == 0; x1 <<= 8, x2 = x2 << 8 | 255)
                x = x << 8 | *in++;
        }
        out[pos] = partial;
    }
}

#endif

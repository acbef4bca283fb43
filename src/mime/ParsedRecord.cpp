// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mime/ParsedRecord.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace listdex {

namespace {

// Layout: "LDPM", the version, then the fields in the order below. Numbers
// are little-endian u32/u64, strings a u32 length and their bytes, lists a
// u32 count and their items.
constexpr std::string_view kMagic = "LDPM";

class Writer {
public:
    void u32(uint32_t v) { put(&v, 4); }
    void u64(uint64_t v) { put(&v, 8); }
    void str(std::string_view s)
    {
        u32(static_cast<uint32_t>(s.size()));
        out_.append(s);
    }
    void strings(const std::vector<std::string>& list)
    {
        u32(static_cast<uint32_t>(list.size()));
        for (const auto& s : list)
            str(s);
    }
    void addresses(const std::vector<Address>& list)
    {
        u32(static_cast<uint32_t>(list.size()));
        for (const auto& a : list) {
            str(a.name);
            str(a.email);
        }
    }
    void optional_time(const std::optional<int64_t>& t)
    {
        u32(t ? 1 : 0);
        u64(static_cast<uint64_t>(t.value_or(0)));
    }
    std::string take() { return std::move(out_); }

private:
    static_assert(std::endian::native == std::endian::little, "records are little-endian");
    void put(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
    std::string out_;
};

/// Reads fields back; any read past the end sets failed() and yields zeros.
class Reader {
public:
    explicit Reader(std::string_view in) : in_(in) {}
    [[nodiscard]] bool failed() const { return failed_; }
    [[nodiscard]] bool at_end() const { return in_.empty(); }
    uint32_t u32() { return get<uint32_t>(); }
    uint64_t u64() { return get<uint64_t>(); }
    std::string_view bytes(size_t n)
    {
        if (failed_ || in_.size() < n) {
            failed_ = true;
            return {};
        }
        const std::string_view out = in_.substr(0, n);
        in_.remove_prefix(n);
        return out;
    }
    std::string str() { return std::string(bytes(u32())); }
    /// A count of items at least @p min_item_size bytes each: more than
    /// the rest could hold is damage (and no huge reserve).
    uint32_t count(size_t min_item_size)
    {
        const uint32_t n = u32();
        if (n > in_.size() / min_item_size)
            failed_ = true;
        return failed_ ? 0 : n;
    }
    std::vector<std::string> strings()
    {
        std::vector<std::string> out(count(4));
        for (auto& s : out)
            s = str();
        return out;
    }
    std::vector<Address> addresses()
    {
        std::vector<Address> out(count(8));
        for (auto& a : out) {
            a.name = str();
            a.email = str();
        }
        return out;
    }
    std::optional<int64_t> optional_time()
    {
        const bool present = u32() != 0;
        const auto t = static_cast<int64_t>(u64());
        return present ? std::optional<int64_t>(t) : std::nullopt;
    }

private:
    template <class T>
    T get()
    {
        T v{};
        const std::string_view b = bytes(sizeof v);
        if (!failed_)
            std::memcpy(&v, b.data(), sizeof v);
        return v;
    }
    std::string_view in_;
    bool failed_ = false;
};

// The record's flag bits.
constexpr uint32_t synthetic_id = 1, recovered = 2, rebuilt_from_html = 4, body_from_html = 8;

} // namespace

std::string encode_parsed_record(const ParsedMessage& pm)
{
    Writer w;
    w.str(kMagic);
    w.u32(kParsedRecordVersion);
    w.u32((pm.synthetic_id ? synthetic_id : 0u) | (pm.recovered ? recovered : 0u) |
          (pm.rebuilt_from_html ? rebuilt_from_html : 0u) | (pm.body_from_html ? body_from_html : 0u));
    w.str(pm.message_id);
    w.addresses(pm.from);
    w.addresses(pm.to);
    w.addresses(pm.cc);
    w.str(pm.subject);
    w.str(pm.date_header);
    w.optional_time(pm.date);
    w.optional_time(pm.received);
    w.str(pm.list_id);
    w.strings(pm.in_reply_to);
    w.strings(pm.references);
    w.str(pm.body);
    w.u32(static_cast<uint32_t>(pm.attachment_texts.size()));
    for (const auto& t : pm.attachment_texts) {
        w.u32(t.part);
        w.str(t.text);
    }
    w.u32(static_cast<uint32_t>(pm.attachments.size()));
    for (const auto& a : pm.attachments) {
        w.str(a.filename);
        w.str(a.mime_type);
        w.u64(a.size);
        w.u32(a.part);
    }
    w.strings(pm.part_indexes);
    w.strings(pm.mime_types);
    w.strings(pm.problems);
    w.u64(pm.size);
    return w.take();
}

std::optional<ParsedMessage> decode_parsed_record(std::string_view bytes)
{
    Reader r(bytes);
    if (r.str() != kMagic || r.u32() != kParsedRecordVersion || r.failed())
        return std::nullopt;
    ParsedMessage pm;
    const uint32_t bits = r.u32();
    pm.synthetic_id = bits & synthetic_id;
    pm.recovered = bits & recovered;
    pm.rebuilt_from_html = bits & rebuilt_from_html;
    pm.body_from_html = bits & body_from_html;
    pm.message_id = r.str();
    pm.from = r.addresses();
    pm.to = r.addresses();
    pm.cc = r.addresses();
    pm.subject = r.str();
    pm.date_header = r.str();
    pm.date = r.optional_time();
    pm.received = r.optional_time();
    pm.list_id = r.str();
    pm.in_reply_to = r.strings();
    pm.references = r.strings();
    pm.body = r.str();
    pm.attachment_texts.resize(r.count(8));
    for (auto& t : pm.attachment_texts) {
        t.part = r.u32();
        t.text = r.str();
    }
    pm.attachments.resize(r.count(20));
    for (auto& a : pm.attachments) {
        a.filename = r.str();
        a.mime_type = r.str();
        a.size = r.u64();
        a.part = r.u32();
    }
    pm.part_indexes = r.strings();
    pm.mime_types = r.strings();
    pm.problems = r.strings();
    pm.size = r.u64();
    if (r.failed() || !r.at_end())
        return std::nullopt;
    return pm;
}

std::string first_record_difference(const ParsedMessage& a, const ParsedMessage& b)
{
    auto same_addresses = [](const std::vector<Address>& x, const std::vector<Address>& y) {
        return std::ranges::equal(x, y, [](const Address& p, const Address& q) {
            return p.name == q.name && p.email == q.email;
        });
    };
    const std::pair<const char*, bool> fields[] = {
        {"message id", a.message_id == b.message_id && a.synthetic_id == b.synthetic_id},
        {"from", same_addresses(a.from, b.from)},
        {"to", same_addresses(a.to, b.to)},
        {"cc", same_addresses(a.cc, b.cc)},
        {"subject", a.subject == b.subject},
        {"date", a.date_header == b.date_header && a.date == b.date && a.received == b.received},
        {"list id", a.list_id == b.list_id},
        {"in-reply-to", a.in_reply_to == b.in_reply_to},
        {"references", a.references == b.references},
        {"body", a.body == b.body},
        {"attachment texts", std::ranges::equal(a.attachment_texts, b.attachment_texts,
                                                [](const AttachmentText& p, const AttachmentText& q) {
                                                    return p.part == q.part && p.text == q.text;
                                                })},
        {"attachments", std::ranges::equal(a.attachments, b.attachments,
                                           [](const Attachment& p, const Attachment& q) {
                                               return p.filename == q.filename && p.mime_type == q.mime_type &&
                                                      p.size == q.size && p.part == q.part;
                                           })},
        {"part numbers", a.part_indexes == b.part_indexes},
        {"types", a.mime_types == b.mime_types},
        {"problems", a.problems == b.problems},
        {"size", a.size == b.size},
        {"repair flags", a.recovered == b.recovered && a.rebuilt_from_html == b.rebuilt_from_html &&
                             a.body_from_html == b.body_from_html},
    };
    for (const auto& [name, same] : fields)
        if (!same)
            return name;
    return {};
}

} // namespace listdex

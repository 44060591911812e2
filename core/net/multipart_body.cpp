#include "net/multipart_body.hpp"

#include <algorithm>
#include <cstring>
#include <random>

#include "error.hpp"

namespace pictor::net {

namespace {

std::string random_boundary() {
    static const char digits[] = "0123456789abcdef";
    std::random_device random;
    std::string out(24, '-');
    for (int i = 0; i < 24; ++i)
        out += digits[random() & 15];
    return out;
}

// Quotes in names and file names as browsers and libcurl write them: a quote or a line break
// would end the header.
std::string escaped(const std::string &text) {
    std::string out;
    for (char c : text) {
        if (c == '"')
            out += "%22";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else
            out += c;
    }
    return out;
}

bool is_file(const MultipartPart &p) { return !p.filename.empty() || p.spool; }

} // namespace

MultipartBody::MultipartBody(const std::vector<MultipartPart> &parts, std::string boundary)
    : parts_(parts), boundary_(boundary.empty() ? random_boundary() : std::move(boundary)) {}

std::string MultipartBody::content_type() const { return "multipart/form-data; boundary=" + boundary_; }

std::string MultipartBody::header_of(size_t index) const {
    const MultipartPart &p = parts_[index];
    std::string text = (index == 0 ? "--" : "\r\n--") + boundary_ +
                       "\r\nContent-Disposition: form-data; name=\"" + escaped(p.name) + "\"";
    if (is_file(p)) {
        // A part sealed after the request was made is named by its spool (the encoding chosen).
        const bool named_by_spool = p.filename.empty() && p.spool;
        const std::string &filename = named_by_spool ? p.spool->filename() : p.filename;
        const std::string &type = named_by_spool ? p.spool->content_type() : p.content_type;
        text += "; filename=\"" + escaped(filename) + "\"";
        if (!type.empty())
            text += "\r\nContent-Type: " + type;
    }
    return text + "\r\n\r\n";
}

uint64_t MultipartBody::data_size_of(size_t index) const { return parts_[index].size(); }

bool MultipartBody::settled(const std::vector<MultipartPart> &parts) {
    for (const auto &p : parts)
        if (p.spool && p.spool->state() == PartSpool::State::writing)
            return false;
    return true;
}

std::string MultipartBody::abandoned(const std::vector<MultipartPart> &parts) {
    for (const auto &p : parts)
        if (p.spool && p.spool->state() == PartSpool::State::abandoned)
            return "the upload of " + (p.filename.empty() ? p.name : p.filename) + " was abandoned before it was ready";
    return "";
}

std::optional<uint64_t> MultipartBody::size() const {
    uint64_t total = 0;
    for (size_t i = 0; i < parts_.size(); ++i) {
        if (parts_[i].spool && !parts_[i].spool->sealed())
            return std::nullopt;
        total += header_of(i).size() + data_size_of(i);
    }
    return total + (parts_.empty() ? 2 : 4) + boundary_.size() + 4; // [\r\n]--boundary--\r\n
}

bool MultipartBody::can_go_on() const {
    return index_ >= parts_.size() || !parts_[index_].spool ||
           parts_[index_].spool->state() != PartSpool::State::writing;
}

void MultipartBody::rewind() {
    index_ = 0;
    stage_ = 0;
    offset_ = 0;
    header_.clear();
    error_.clear();
}

size_t MultipartBody::read(char *out, size_t max, Status *status) {
    *status = Status::ok;
    size_t filled = 0;
    auto copy = [&](const std::string &text) {
        const size_t n = size_t(std::min<uint64_t>(max - filled, text.size() - offset_));
        std::memcpy(out + filled, text.data() + offset_, n);
        filled += n;
        offset_ += n;
        return offset_ == text.size();
    };
    while (filled < max) {
        if (index_ == parts_.size()) {
            const std::string closing = (parts_.empty() ? "--" : "\r\n--") + boundary_ + "--\r\n";
            if (offset_ < closing.size())
                copy(closing);
            return filled;
        }
        const MultipartPart &p = parts_[index_];
        if (stage_ == 0) {
            if (header_.empty()) {
                if (p.spool && p.spool->state() != PartSpool::State::sealed) {
                    if (p.spool->state() == PartSpool::State::abandoned) {
                        error_ = abandoned(parts_);
                        *status = Status::failed;
                    } else if (filled == 0) {
                        *status = Status::wait;
                    }
                    return filled;
                }
                header_ = header_of(index_);
            }
            if (!copy(header_))
                return filled;
            stage_ = 1;
            offset_ = 0;
        }
        if (stage_ == 1) {
            const uint64_t size = data_size_of(index_);
            const size_t n = size_t(std::min<uint64_t>(max - filled, size - offset_));
            if (p.spool) {
                try {
                    if (p.spool->read_at(offset_, out + filled, n) != n)
                        throw Error(ErrorKind::io, "the temporary file of " + p.spool->filename() + " is shorter than announced");
                } catch (const Error &e) {
                    error_ = e.what();
                    *status = Status::failed;
                    return filled;
                }
            } else {
                std::memcpy(out + filled, p.bytes().data() + offset_, n);
            }
            filled += n;
            offset_ += n;
            if (offset_ < size)
                return filled;
            // The next part's header starts with the line break that ends this data.
            ++index_;
            stage_ = 0;
            offset_ = 0;
            header_.clear();
        }
    }
    return filled;
}

} // namespace pictor::net

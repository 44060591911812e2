#include "output_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace pictor_cli {

namespace {

// The position of the extension's dot in path's last component, or npos. A leading dot
// (".hidden") is not an extension.
size_t extension_dot(const std::string &path) {
    size_t slash = path.find_last_of('/');
    size_t name_start = slash == std::string::npos ? 0 : slash + 1;
    size_t dot = path.find_last_of('.');
    if (dot == std::string::npos || dot <= name_start) return std::string::npos;
    return dot;
}

std::string folder_of(const std::string &path) {
    size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string lowercase(std::string text) {
    for (char &c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

bool write_all(int fd, const uint8_t *data, size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

mode_t file_mode_from_umask() {
    mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

} // namespace

std::string numbered_path(const std::string &path, size_t index, size_t count) {
    if (count <= 1) return path;
    std::string suffix = "-" + std::to_string(index);
    size_t dot = extension_dot(path);
    if (dot == std::string::npos) return path + suffix;
    return path.substr(0, dot) + suffix + path.substr(dot);
}

std::string format_for_path(const std::string &path) {
    size_t dot = extension_dot(path);
    if (dot == std::string::npos) return "";
    std::string extension = lowercase(path.substr(dot + 1));
    if (extension == "png") return "png";
    if (extension == "jpg" || extension == "jpeg") return "jpeg";
    if (extension == "webp") return "webp";
    return "";
}

OutputTarget resolve_output(const std::string &path) {
    if (path == "-") return {OutputTarget::standard_output, path};
    struct stat info {};
    // stat follows symlinks: a link to /dev/null is a device, a link to a file is that file.
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode))
        return {OutputTarget::in_place, path};
    std::string target = path;
    // A symlink is followed, so that replacing the file keeps the link (and writes where it
    // points), as cp and shell redirection do. Up to a few hops; a dangling link names the
    // file to create.
    for (int hops = 0; hops < 16 && ::lstat(target.c_str(), &info) == 0 && S_ISLNK(info.st_mode); ++hops) {
        std::vector<char> buffer(4096);
        ssize_t length = ::readlink(target.c_str(), buffer.data(), buffer.size() - 1);
        if (length <= 0) break;
        std::string link(buffer.data(), static_cast<size_t>(length));
        target = link[0] == '/' ? link : folder_of(target) + "/" + link;
    }
    return {OutputTarget::regular_file, target};
}

std::string check_output_folder(const std::string &path) {
    const OutputTarget target = resolve_output(path);
    if (target.kind != OutputTarget::regular_file) return "";
    struct stat info {};
    if (::stat(target.path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
        return "it is a folder; give a file name such as " +
               (path.back() == '/' ? path : path + "/") + "image.png";
    // The format comes from the name: an unknown one is refused before anything is paid for,
    // not silently written as whatever the server sent.
    if (format_for_path(target.path).empty())
        return "the name must end in .png, .jpg, .jpeg or .webp (the extension picks the format)";
    std::string folder = folder_of(target.path);
    if (::stat(folder.c_str(), &info) != 0) return folder + ": " + std::strerror(errno);
    if (!S_ISDIR(info.st_mode)) return folder + ": " + std::strerror(ENOTDIR);
    if (::access(folder.c_str(), W_OK | X_OK) != 0) return folder + ": " + std::strerror(errno);
    return "";
}

std::string write_file_atomically(const std::string &path, const uint8_t *data, size_t size) {
    std::string folder = folder_of(path);
    size_t slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    std::string temp = folder + "/." + name + ".pictor-XXXXXX";
    std::vector<char> temp_buffer(temp.begin(), temp.end());
    temp_buffer.push_back('\0');

    int fd = ::mkstemp(temp_buffer.data());
    if (fd < 0) return std::strerror(errno);
    bool ok = write_all(fd, data, size) && ::fchmod(fd, file_mode_from_umask()) == 0 &&
              ::fsync(fd) == 0;
    int saved_errno = errno;
    if (::close(fd) != 0 && ok) {
        ok = false;
        saved_errno = errno;
    }
    if (ok && ::rename(temp_buffer.data(), path.c_str()) != 0) {
        ok = false;
        saved_errno = errno;
    }
    if (!ok) {
        ::unlink(temp_buffer.data());
        return std::strerror(saved_errno);
    }
    return "";
}

std::string write_output(const std::string &path, const uint8_t *data, size_t size) {
    const OutputTarget target = resolve_output(path);
    if (target.kind == OutputTarget::regular_file) return write_file_atomically(target.path, data, size);
    if (target.kind == OutputTarget::standard_output) {
        if (!write_all(STDOUT_FILENO, data, size)) return std::strerror(errno);
        return "";
    }
    // A device or a FIFO: written into, never replaced (renaming over /dev/null as root would
    // replace the device with a file).
    int fd = ::open(target.path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return std::strerror(errno);
    bool ok = write_all(fd, data, size);
    int saved_errno = errno;
    if (::close(fd) != 0 && ok) {
        ok = false;
        saved_errno = errno;
    }
    return ok ? "" : std::strerror(saved_errno);
}

std::string write_image(const pictor_image *image, const std::string &path, int quality,
                        pictor_status *status) {
    size_t size = 0;
    const uint8_t *bytes = pictor_image_encoded(image, &size);
    const char *received = pictor_image_format(image);
    const OutputTarget target = resolve_output(path);
    // stdout, a device, a FIFO: the bytes as received (or --format's), whatever the name says.
    std::string wanted = target.kind == OutputTarget::regular_file ? format_for_path(target.path) : "";

    pictor::buffer_ptr converted;
    if (!bytes || size == 0 || (!wanted.empty() && wanted != (received ? received : ""))) {
        const std::string target = wanted.empty() ? "png" : wanted;
        uint8_t *data = nullptr;
        pictor_status encoded = pictor_image_encode(image, target.c_str(), quality, &data, &size);
        if (encoded != PICTOR_OK) {
            *status = encoded;
            const char *why = pictor_thread_last_error()->message;
            return "cannot convert the image to " + target + " for " + path + ": " +
                   (why && *why ? why : pictor_status_string(encoded));
        }
        converted.reset(data);
        bytes = data;
    }

    std::string error = write_output(path, bytes, size);
    if (!error.empty()) {
        *status = PICTOR_ERR_IO;
        return "cannot write " + path + ": " + error;
    }
    return "";
}

} // namespace pictor_cli

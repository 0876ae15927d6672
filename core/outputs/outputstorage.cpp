// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputstorage.h"

#include <cerrno>
#include <filesystem>
#include <system_error>

#include <QBuffer>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QScopeGuard>
#include <QUuid>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace brieflow {

namespace {

/** A sniffed image type: Qt's format name, MIME type and our file extension. */
struct ImageType {
    QByteArray qtFormat;
    QString mime;
    QString extension;
};

std::optional<ImageType> sniff(QByteArrayView head)
{
    if (head.size() >= 8 && head.first(8) == QByteArrayView("\x89PNG\r\n\x1a\n", 8))
        return ImageType{"png", QStringLiteral("image/png"), QStringLiteral("png")};
    if (head.size() >= 3 && head.first(3) == QByteArrayView("\xff\xd8\xff", 3))
        return ImageType{"jpeg", QStringLiteral("image/jpeg"), QStringLiteral("jpg")};
    if (head.size() >= 12 && head.first(4) == QByteArrayView("RIFF")
        && head.sliced(8, 4) == QByteArrayView("WEBP"))
        return ImageType{"webp", QStringLiteral("image/webp"), QStringLiteral("webp")};
    return std::nullopt;
}

/// 8192 x 8192: above any image model's output (4x upscales included), and what Qt's own
/// 256 MB allocation limit would allow at 4 bytes a pixel anyway.
constexpr qint64 kMaxImagePixels = 8192LL * 8192;

struct Decoded {
    ImageType type;
    int width = 0;
    int height = 0;
};

/**
 * Magic bytes, the declared size (at most kMaxImagePixels), then a full decode with the sniffed
 * format only (no content-type, no guessing). Qt's allocation limit
 * (QImageReader::allocationLimit(), 256 MB by default) stays on: a small file that claims gigantic
 * dimensions fails here instead of exhausting memory.
 */
Result<Decoded, OutputError> decode(QIODevice &device)
{
    const std::optional<ImageType> type = sniff(device.peek(12));
    if (!type)
        return fail(makeOutputError(OutputError::Kind::Invalid,
                                    QStringLiteral("not PNG, JPEG or WebP by its magic bytes")));
    if (!QImageReader::supportedImageFormats().contains(type->qtFormat))
        return fail(makeOutputError(OutputError::Kind::FormatUnsupported,
                                    QStringLiteral("no Qt image plugin for ")
                                        + QString::fromLatin1(type->qtFormat)));
    QImageReader reader(&device, type->qtFormat);
    reader.setAutoDetectImageFormat(false);
    // A decompression bomb declares huge dimensions in a few bytes: refused from the header,
    // before a pixel is inflated.
    if (const QSize declared = reader.size();
        declared.isValid() && qint64(declared.width()) * declared.height() > kMaxImagePixels)
        return fail(makeOutputError(OutputError::Kind::TooLarge,
                                    QStringLiteral("%1 declares %2x%3 pixels, more than %4")
                                        .arg(QString::fromLatin1(type->qtFormat))
                                        .arg(declared.width())
                                        .arg(declared.height())
                                        .arg(kMaxImagePixels)));
    const QImage image = reader.read();
    if (image.isNull() || image.width() <= 0 || image.height() <= 0)
        return fail(
            makeOutputError(OutputError::Kind::Invalid,
                            QStringLiteral("%1 does not decode: %2")
                                .arg(QString::fromLatin1(type->qtFormat), reader.errorString())));
    return Decoded{*type, image.width(), image.height()};
}

/** fsync; false with errno set when the file system reports an error (some only report a full
 *  disk here, e.g. network file systems). */
bool syncToDisk(QFile &file)
{
#ifdef Q_OS_UNIX
    if (file.handle() >= 0)
        return ::fsync(file.handle()) == 0 || errno == EINVAL || errno == EROFS;
#else
    Q_UNUSED(file);
#endif
    return true;
}

QString renameFailure(const QString &target, const std::error_code &ec)
{
    return QStringLiteral("rename to %1: %2").arg(target, QString::fromStdString(ec.message()));
}

bool isSha256Hex(const QString &text)
{
    if (text.size() != 64)
        return false;
    for (const QChar c : text) {
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9'))
              || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    }
    return true;
}

} // namespace

OutputStorage::OutputStorage(QString outputsDir)
    : m_dir(QDir::cleanPath(QDir(outputsDir).absolutePath()))
{}

QString OutputStorage::temporaryDir() const
{
    return m_dir + QStringLiteral("/.partial");
}

QString OutputStorage::pathFor(const QString &sha256, const QString &extension) const
{
    if (!isSha256Hex(sha256) || extension.isEmpty() || extension.size() > 8)
        return {};
    for (const QChar c : extension) {
        if (!((c >= QLatin1Char('a') && c <= QLatin1Char('z'))
              || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))))
            return {};
    }
    return m_dir + QLatin1Char('/') + sha256.left(2) + QLatin1Char('/') + sha256 + QLatin1Char('.')
           + extension;
}

QString OutputStorage::newTemporaryPath() const
{
    QDir().mkpath(temporaryDir());
    return temporaryDir() + QLatin1Char('/') + QUuid::createUuid().toString(QUuid::WithoutBraces)
           + QStringLiteral(".part");
}

int OutputStorage::removeStaleTemporaries(std::chrono::milliseconds olderThan)
{
    const QDir dir(temporaryDir());
    if (!dir.exists())
        return 0;
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addMSecs(-olderThan.count());
    int removed = 0;
    const QFileInfoList entries = dir.entryInfoList(QDir::Files | QDir::Hidden | QDir::System);
    for (const QFileInfo &entry : entries) {
        if (olderThan.count() > 0 && entry.lastModified().toUTC() > cutoff)
            continue;
        if (QFile::remove(entry.absoluteFilePath()))
            ++removed;
    }
    return removed;
}

Result<StoredOutput, OutputError> OutputStorage::storeBytes(const QByteArray &bytes,
                                                            const QString &sourceUrl)
{
    if (bytes.isEmpty())
        return fail(makeOutputError(OutputError::Kind::Invalid, QStringLiteral("empty file")));
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    const auto decoded = decode(buffer);
    if (!decoded)
        return fail(decoded.error());

    const QString sha =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    const QString target = pathFor(sha, decoded->type.extension);
    StoredOutput stored{target,          sha,          decoded->type.mime, decoded->width,
                        decoded->height, bytes.size(), sourceUrl};
    const QFileInfo existing(target);
    if (existing.isFile() && existing.size() == bytes.size())
        return stored;

    const QString tempPath = newTemporaryPath();
    auto removeTemp = qScopeGuard([&tempPath] { QFile::remove(tempPath); });
    QFile file(tempPath);
    errno = 0;
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Unbuffered)
        || file.write(bytes) != bytes.size() || !syncToDisk(file)) {
        const int osError = errno;
        return fail(
            makeStorageError(m_dir, tempPath + QStringLiteral(": ") + file.errorString(), osError));
    }
    file.close();
    if (auto placed = placeAtomically(tempPath, target); !placed)
        return fail(placed.error());
    removeTemp.dismiss();
    return stored;
}

Result<void, OutputError> OutputStorage::placeAtomically(const QString &tempPath,
                                                         const QString &target) const
{
    errno = 0;
    if (!QDir().mkpath(QFileInfo(target).absolutePath())) {
        const int osError = errno;
        return fail(makeStorageError(m_dir, QStringLiteral("cannot create ") + target, osError));
    }
    std::error_code ec;
    std::filesystem::rename(QFile::encodeName(tempPath).toStdString(),
                            QFile::encodeName(target).toStdString(), ec);
    if (ec)
        return fail(makeStorageError(m_dir, renameFailure(target, ec), ec.value()));
    return {};
}

Result<StoredOutput, OutputError> OutputStorage::adoptTemporary(const QString &tempPath,
                                                                const QString &sourceUrl,
                                                                const QString &knownSha256)
{
    auto removeTemp = qScopeGuard([&tempPath] { QFile::remove(tempPath); });
    QFile file(tempPath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(makeStorageError(m_dir, tempPath + QStringLiteral(": ") + file.errorString()));
    const qint64 size = file.size();
    if (size <= 0)
        return fail(makeOutputError(OutputError::Kind::Invalid, QStringLiteral("empty file")));
    const auto decoded = decode(file);
    if (!decoded)
        return fail(decoded.error());

    QString sha = knownSha256;
    if (sha.isEmpty()) {
        if (!file.seek(0))
            return fail(
                makeStorageError(m_dir, tempPath + QStringLiteral(": ") + file.errorString()));
        QCryptographicHash hash(QCryptographicHash::Sha256);
        if (!hash.addData(&file))
            return fail(
                makeStorageError(m_dir, tempPath + QStringLiteral(": ") + file.errorString()));
        sha = QString::fromLatin1(hash.result().toHex());
    }
    const QString target = pathFor(sha, decoded->type.extension);
    if (target.isEmpty())
        return fail(makeOutputError(OutputError::Kind::Invalid,
                                    QStringLiteral("bad SHA-256 \"%1\"").arg(sha)));
    StoredOutput stored{target,          sha,  decoded->type.mime, decoded->width,
                        decoded->height, size, sourceUrl};
    const QFileInfo existing(target);
    if (existing.isFile() && existing.size() == size)
        return stored; // the guard drops the temp file

    errno = 0;
    if (!syncToDisk(file)) {
        const int osError = errno;
        return fail(makeStorageError(m_dir, tempPath + QStringLiteral(": fsync failed"), osError));
    }
    file.close();
    if (auto placed = placeAtomically(tempPath, target); !placed)
        return fail(placed.error());
    removeTemp.dismiss();
    return stored;
}

QString imageMimeFromMagic(QByteArrayView head)
{
    const std::optional<ImageType> type = sniff(head);
    return type ? type->mime : QString();
}

QStringList missingImageFormats()
{
    const QList<QByteArray> supported = QImageReader::supportedImageFormats();
    QStringList missing;
    for (const char *format : {"png", "jpeg", "webp"}) {
        if (!supported.contains(QByteArray(format)))
            missing.append(QString::fromLatin1(format));
    }
    return missing;
}

QString missingImageFormatsMessage(const QStringList &missing)
{
    if (missing.isEmpty())
        return {};
    QStringList names;
    for (const QString &format : missing)
        names.append(format == QLatin1String("jpeg")   ? QStringLiteral("JPEG")
                     : format == QLatin1String("webp") ? QStringLiteral("WebP")
                                                       : format.toUpper());
    return QCoreApplication::translate("OutputError",
                                       "%1 images can't be read: install "
                                       "qt6-image-formats-plugins (Qt's image format plugins).")
        .arg(names.join(QStringLiteral(", ")));
}

} // namespace brieflow

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Exported image bytes with the lineage embedded: Qt encodes (PNG text chunks, JPEG and WebP
// quality), Exiv2 0.27 adds the XMP on the bytes in memory. Exiv2 keeps global state (XMP
// namespaces, the XMP toolkit), so every Exiv2 call here runs under one mutex; decoding and
// encoding pixels, the slow part, runs outside it.
#include "imagemetadata.h"

#include <mutex>
#include <string>

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QLocale>
#include <QLoggingCategory>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

Q_LOGGING_CATEGORY(lcExportMetadata, "brieflow.export.metadata")

namespace brieflow {

namespace {

constexpr char lineageNamespace[] = "https://brieflow.github.io/ns/lineage/1.0/";
constexpr char lineagePrefix[] = "brieflow";
constexpr char lineageXmpKey[] = "Xmp.brieflow.lineage";
constexpr char digitalSourceTypeKey[] = "Xmp.iptcExt.DigitalSourceType";
constexpr char trainedAlgorithmicMedia[] =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
const QString pngLineageKey = QStringLiteral("brieflow:lineage");

/// Larger files are not images Brieflow made or stores (the downloader's cap is far lower).
constexpr qint64 maxImageBytes = 256LL * 1024 * 1024;

std::string toStd(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return std::string(utf8.constData(), static_cast<size_t>(utf8.size()));
}

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// --- Exiv2 set-up ----------------------------------------------------------------------------

/** Held around every Exiv2 call: namespace registry, XMP toolkit and log handler are global. */
std::mutex &exiv2Mutex()
{
    static std::mutex mutex;
    return mutex;
}

void xmpToolkitLock(void *data, bool lock)
{
    auto *mutex = static_cast<std::recursive_mutex *>(data);
    if (lock)
        mutex->lock();
    else
        mutex->unlock();
}

void exiv2Log(int level, const char *message)
{
    QString text = QString::fromUtf8(message).trimmed();
    if (level >= Exiv2::LogMsg::warn)
        qCInfo(lcExportMetadata).noquote() << "Exiv2:" << text;
    else
        qCDebug(lcExportMetadata).noquote() << "Exiv2:" << text;
}

/** Initialises the XMP toolkit and registers Brieflow's namespace, once per process. */
bool setUpExiv2()
{
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] {
        static std::recursive_mutex toolkitMutex;
        Exiv2::LogMsg::setHandler(exiv2Log);
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::warn);
        if (!Exiv2::XmpParser::initialize(xmpToolkitLock, &toolkitMutex)) {
            qCWarning(lcExportMetadata) << "Exiv2: the XMP toolkit failed to initialise";
            return;
        }
        try {
            Exiv2::XmpProperties::registerNs(lineageNamespace, lineagePrefix);
            ok = true;
        } catch (const Exiv2::AnyError &error) {
            qCWarning(lcExportMetadata)
                << "Exiv2: can't register the lineage namespace:" << error.what();
        }
    });
    return ok;
}

// --- formats ---------------------------------------------------------------------------------

std::optional<ExportFormat> sniffFormat(const QByteArray &bytes)
{
    if (bytes.startsWith("\x89PNG\r\n\x1a\n"))
        return ExportFormat::Png;
    if (bytes.startsWith("\xFF\xD8\xFF"))
        return ExportFormat::Jpeg;
    if (bytes.size() >= 12 && bytes.startsWith("RIFF") && bytes.mid(8, 4) == "WEBP")
        return ExportFormat::Webp;
    return std::nullopt;
}

/** True when the file ends where its format says it ends (a cut-off download doesn't). */
bool isComplete(const QByteArray &bytes, ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return bytes.contains(QByteArrayView("\0\0\0\0IEND\xAE\x42\x60\x82", 12));
    case ExportFormat::Jpeg: {
        QByteArrayView view(bytes);
        while (view.endsWith('\0') || view.endsWith('\n') || view.endsWith('\r'))
            view.chop(1); // some writers pad after EOI
        return view.endsWith("\xFF\xD9");
    }
    case ExportFormat::Webp: {
        const auto *p = reinterpret_cast<const uchar *>(bytes.constData());
        const quint32 riffSize =
            quint32(p[4]) | (quint32(p[5]) << 8) | (quint32(p[6]) << 16) | (quint32(p[7]) << 24);
        return riffSize >= 4 && qint64(riffSize) + 8 <= bytes.size();
    }
    }
    return false;
}

QByteArray qtFormatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return QByteArrayLiteral("png");
    case ExportFormat::Jpeg:
        return QByteArrayLiteral("jpeg");
    case ExportFormat::Webp:
        return QByteArrayLiteral("webp");
    }
    return {};
}

Result<QByteArray, QString> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("Can't open %1: %2").arg(path, file.errorString()));
    if (file.size() > maxImageBytes)
        return fail(
            QStringLiteral("%1 is too large for an image (%2 bytes).").arg(path).arg(file.size()));
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return fail(QStringLiteral("Can't read %1: %2").arg(path, file.errorString()));
    return bytes;
}

/** @p image on white: JPEG has no transparency, and black (Qt's default) looks broken. */
QImage flattenedOnWhite(const QImage &image)
{
    if (!image.hasAlphaChannel())
        return image.convertToFormat(QImage::Format_RGB32);
    const QImage source = image.convertToFormat(QImage::Format_ARGB32);
    QImage out(source.size(), QImage::Format_RGB32);
    for (int y = 0; y < source.height(); ++y) {
        const auto *in = reinterpret_cast<const QRgb *>(source.constScanLine(y));
        auto *line = reinterpret_cast<QRgb *>(out.scanLine(y));
        for (int x = 0; x < source.width(); ++x) {
            const int a = qAlpha(in[x]);
            const auto blend = [a](int c) { return (c * a + 255 * (255 - a) + 127) / 255; };
            line[x] = qRgb(blend(qRed(in[x])), blend(qGreen(in[x])), blend(qBlue(in[x])));
        }
    }
    return out;
}

/** PNG's "Creation Time" is RFC 1123 text (PNG specification, 11.3.4.2). */
QString rfc1123(const QDateTime &time)
{
    return QLocale::c().toString(time.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"))
           + QStringLiteral(" GMT");
}

Result<QByteArray, QString> encodePixels(const QImage &image, ExportFormat format, int quality,
                                         const ImageLineage &lineage, const QByteArray &json)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, qtFormatName(format));
    QImage pixels = image;
    if (format == ExportFormat::Png) {
        // QImage::setText, not QImageWriter::setText: the writer packs its texts into one
        // "key: value\n\n" string and splits it again, which breaks keys with a space or a
        // colon ("Creation Time", "brieflow:lineage") and values with a blank line.
        for (const QString &key : pixels.textKeys())
            pixels.setText(key, QString());
        pixels.setText(QStringLiteral("Title"), lineage.brief.productName);
        pixels.setText(QStringLiteral("Description"), lineage.imagePrompt);
        pixels.setText(QStringLiteral("Software"), lineage.generator);
        if (const QString model = lineage.imageModel(); !model.isEmpty())
            pixels.setText(QStringLiteral("Source"), model);
        if (lineage.imageCreatedAt.isValid())
            pixels.setText(QStringLiteral("Creation Time"), rfc1123(lineage.imageCreatedAt));
        pixels.setText(pngLineageKey, QString::fromUtf8(json));
    } else {
        writer.setQuality(quality);
        if (format == ExportFormat::Jpeg)
            pixels = flattenedOnWhite(image);
    }
    if (!writer.write(pixels))
        return fail(QStringLiteral("Can't encode the image as %1: %2")
                        .arg(toString(format), writer.errorString()));
    return out;
}

// --- XMP --------------------------------------------------------------------------------------

void eraseKey(Exiv2::XmpData &xmp, const char *key)
{
    const Exiv2::XmpKey k(key);
    for (auto it = xmp.findKey(k); it != xmp.end(); it = xmp.findKey(k))
        xmp.erase(it);
}

void setText(Exiv2::XmpData &xmp, const char *key, const QString &text)
{
    eraseKey(xmp, key);
    Exiv2::XmpTextValue value; // value_ set directly: read() would parse a "type=" prefix
    value.value_ = toStd(text);
    xmp.add(Exiv2::XmpKey(key), &value);
}

void setLangAlt(Exiv2::XmpData &xmp, const char *key, const QString &text)
{
    eraseKey(xmp, key);
    Exiv2::LangAltValue value; // value_ set directly: read() would parse a "lang=" prefix
    value.value_["x-default"] = toStd(text);
    xmp.add(Exiv2::XmpKey(key), &value);
}

QString textOf(const Exiv2::XmpData &xmp, const char *key)
{
    const auto it = xmp.findKey(Exiv2::XmpKey(key));
    if (it == xmp.end())
        return {};
    if (const auto *alt = dynamic_cast<const Exiv2::LangAltValue *>(&it->value())) {
        const auto def = alt->value_.find("x-default");
        if (def != alt->value_.end())
            return fromStd(def->second);
        return alt->value_.empty() ? QString() : fromStd(alt->value_.begin()->second);
    }
    return fromStd(it->toString());
}

/**
 * The lineage JSON as embedded: DEL and the C1 controls (U+007F–U+009F) escaped as \u00XX. The
 * XMP toolkit turns them into spaces; JSON has them only inside strings, where the escape means
 * the same character, so lineageFromJson() reads the same lineage back.
 */
QByteArray embeddableJson(const QByteArray &json)
{
    const QString text = QString::fromUtf8(json);
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c.unicode() >= 0x7F && c.unicode() <= 0x9F)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out.toUtf8();
}

/** XML 1.0 can't carry C0 controls other than tab, LF and CR: they become spaces. */
QString xmlSafe(QString text)
{
    for (QChar &c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r') || (u >= 0x7F && u <= 0x9F)
            || u == 0xFFFE || u == 0xFFFF)
            c = QLatin1Char(' ');
    }
    return text;
}

/** Exiv2's view of image bytes in memory (a copy of them); null when it doesn't know the
 *  format. Call with exiv2Mutex() held; may throw Exiv2::AnyError. */
Exiv2::Image::AutoPtr openInMemory(const QByteArray &bytes)
{
    return Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte *>(bytes.constData()),
                                     static_cast<long>(bytes.size()));
}

Result<QByteArray, QString> addXmp(const QByteArray &bytes, ExportFormat format,
                                   const ImageLineage &lineage, const QByteArray &json)
{
    std::lock_guard lock(exiv2Mutex());
    if (!setUpExiv2())
        return fail(QStringLiteral("Exiv2's XMP support could not be initialised."));
    try {
        Exiv2::Image::AutoPtr image = openInMemory(bytes);
        if (!image.get())
            return fail(QStringLiteral("Exiv2 does not recognise the encoded image."));
        image->readMetadata();
        Exiv2::XmpData &xmp = image->xmpData();
        setLangAlt(xmp, "Xmp.dc.title", xmlSafe(lineage.brief.productName));
        setLangAlt(xmp, "Xmp.dc.description", xmlSafe(lineage.imagePrompt));
        setText(xmp, "Xmp.xmp.CreatorTool", xmlSafe(lineage.generator));
        if (lineage.imageCreatedAt.isValid())
            setText(xmp, "Xmp.xmp.CreateDate",
                    lineage.imageCreatedAt.toUTC().toString(Qt::ISODateWithMs));
        setText(xmp, digitalSourceTypeKey, QString::fromLatin1(trainedAlgorithmicMedia));
        // JSON escapes every control character, so the lineage needs no xmlSafe().
        setText(xmp, lineageXmpKey, QString::fromUtf8(json));
        if (format == ExportFormat::Png) {
            // Exiv2 drops every PNG text chunk named "Description" when it writes and writes
            // its comment there instead: make that the description Qt wrote.
            image->setComment(toStd(lineage.imagePrompt));
        }
        image->writeMetadata();
        Exiv2::BasicIo &io = image->io();
        if (io.open() != 0)
            return fail(QStringLiteral("Exiv2 can't reopen the image in memory."));
        const Exiv2::DataBuf written = io.read(static_cast<long>(io.size()));
        io.close();
        return QByteArray(reinterpret_cast<const char *>(written.pData_), written.size_);
    } catch (const Exiv2::AnyError &error) {
        return fail(QStringLiteral("Can't write the XMP metadata: %1")
                        .arg(QString::fromUtf8(error.what())));
    } catch (const std::exception &error) {
        return fail(QStringLiteral("Can't write the XMP metadata: %1")
                        .arg(QString::fromUtf8(error.what())));
    }
}

struct XmpFields {
    QString lineageJson;
    QString digitalSourceType;
    QString description;
};

Result<XmpFields, QString> readXmp(const QByteArray &bytes, ExportFormat format)
{
    std::lock_guard lock(exiv2Mutex());
    if (!setUpExiv2())
        return fail(QStringLiteral("Exiv2's XMP support could not be initialised."));
    try {
        Exiv2::Image::AutoPtr image = openInMemory(bytes);
        if (!image.get())
            return fail(QStringLiteral("Exiv2 does not recognise the image."));
        image->readMetadata();
        const Exiv2::XmpData &xmp = image->xmpData();
        XmpFields fields;
        fields.lineageJson = textOf(xmp, lineageXmpKey);
        fields.digitalSourceType = textOf(xmp, digitalSourceTypeKey);
        fields.description = textOf(xmp, "Xmp.dc.description");
        if (fields.description.isEmpty() && format == ExportFormat::Png)
            fields.description = fromStd(image->comment());
        return fields;
    } catch (const Exiv2::AnyError &error) {
        return fail(QString::fromUtf8(error.what()));
    } catch (const std::exception &error) {
        return fail(QString::fromUtf8(error.what()));
    }
}

} // namespace

QString toString(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return QStringLiteral("png");
    case ExportFormat::Jpeg:
        return QStringLiteral("jpeg");
    case ExportFormat::Webp:
        return QStringLiteral("webp");
    }
    return {};
}

std::optional<ExportFormat> exportFormatFromString(QStringView text)
{
    const QString t = text.trimmed().toString().toLower();
    if (t == QLatin1String("png"))
        return ExportFormat::Png;
    if (t == QLatin1String("jpeg") || t == QLatin1String("jpg"))
        return ExportFormat::Jpeg;
    if (t == QLatin1String("webp"))
        return ExportFormat::Webp;
    return std::nullopt;
}

QString fileExtension(ExportFormat format)
{
    return format == ExportFormat::Jpeg ? QStringLiteral("jpg") : toString(format);
}

Result<QByteArray, QString> encodeWithMetadata(const QString &sourceFile,
                                               const ImageLineage &lineage,
                                               const EncodeOptions &options)
{
    if (options.quality != -1 && (options.quality < 1 || options.quality > 100))
        return fail(QStringLiteral("The quality must be from 1 to 100, or -1; got %1.")
                        .arg(options.quality));
    auto bytes = readFile(sourceFile);
    if (!bytes)
        return fail(bytes.error());
    const std::optional<ExportFormat> stored = sniffFormat(*bytes);

    QBuffer buffer(&bytes.value());
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    const QImage image = reader.read();
    if (image.isNull())
        return fail(QStringLiteral("The stored image %1 can't be read: %2")
                        .arg(sourceFile, reader.errorString()));
    if (stored && !isComplete(*bytes, *stored))
        return fail(QStringLiteral("The stored image %1 is incomplete (cut off).").arg(sourceFile));

    const QByteArray json = embeddableJson(lineageToJson(lineage));
    QByteArray encoded;
    if (options.format != ExportFormat::Png && options.quality == -1 && stored == options.format) {
        encoded = *bytes; // already in this format: no second lossy encode
    } else {
        auto pixels = encodePixels(image, options.format,
                                   options.quality == -1 ? 90 : options.quality, lineage, json);
        if (!pixels)
            return fail(pixels.error());
        encoded = std::move(pixels).value();
    }
    return addXmp(encoded, options.format, lineage, json);
}

Result<EmbeddedMetadata, QString> readEmbeddedMetadata(const QString &file)
{
    auto bytes = readFile(file);
    if (!bytes)
        return fail(bytes.error());
    const std::optional<ExportFormat> format = sniffFormat(*bytes);
    if (!format)
        return fail(QStringLiteral("%1 is not a PNG, JPEG or WebP image.").arg(file));
    if (!isComplete(*bytes, *format))
        return fail(QStringLiteral("%1 is incomplete: the %2 file is cut off.")
                        .arg(file, toString(*format).toUpper()));
    const auto xmp = readXmp(*bytes, *format);
    if (!xmp)
        return fail(QStringLiteral("Can't read the metadata of %1: %2").arg(file, xmp.error()));

    EmbeddedMetadata metadata;
    metadata.digitalSourceType = xmp->digitalSourceType;
    metadata.description = xmp->description;
    QString json = xmp->lineageJson;
    if (*format == ExportFormat::Png && (json.isEmpty() || metadata.description.isEmpty())) {
        // The text chunks from the decoded QImage: QImageReader::text() splits keys at a colon
        // and simplifies whitespace in values.
        QBuffer buffer(&bytes.value());
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer, "png");
        const QImage image = reader.read();
        if (json.isEmpty())
            json = image.text(pngLineageKey);
        if (metadata.description.isEmpty())
            metadata.description = image.text(QStringLiteral("Description"));
    }
    if (!json.isEmpty()) {
        auto lineage = lineageFromJson(json.toUtf8());
        if (lineage)
            metadata.lineage = std::move(lineage).value();
        else
            qCInfo(lcExportMetadata).noquote()
                << file << "has a Brieflow lineage that isn't valid:" << lineage.error();
    }
    return metadata;
}

} // namespace brieflow

#pragma GCC diagnostic pop

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include "core/export/lineage.h"
#include "core/util/result.h"

namespace brieflow {

/** The file formats images are exported in. */
enum class ExportFormat { Png, Jpeg, Webp };

QString toString(ExportFormat format);          ///< "png", "jpeg", "webp"
std::optional<ExportFormat> exportFormatFromString(QStringView text); ///< also "jpg"
QString fileExtension(ExportFormat format);     ///< "png", "jpg", "webp"

struct EncodeOptions {
    ExportFormat format = ExportFormat::Png;
    /// 1–100 for JPEG and WebP (ignored for PNG); -1: keep the stored bytes when the stored
    /// original already is in @c format (no re-encode, no quality loss), else 90.
    int quality = -1;
};

/**
 * The bytes of an exported image: the stored original at @p sourceFile, re-encoded when needed,
 * with @p lineage embedded — PNG: text chunks (Title, Description, Software, Source, Creation
 * Time, and "brieflow:lineage" with the sidecar JSON) and XMP; JPEG and WebP: XMP. The XMP holds
 * dc:title/description, the IPTC Extension DigitalSourceType
 * http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia, xmp:CreatorTool and the
 * lineage JSON in Brieflow's own namespace. Thread-safe; runs off the GUI thread.
 */
Result<QByteArray, QString> encodeWithMetadata(const QString &sourceFile,
                                               const ImageLineage &lineage,
                                               const EncodeOptions &options);

/** What re-import finds in an image file. */
struct EmbeddedMetadata {
    std::optional<ImageLineage> lineage; ///< Brieflow's lineage, when present and valid
    QString digitalSourceType;           ///< the IPTC DigitalSourceType URI, if any
    QString description;                 ///< dc:description / PNG Description, if any
};

/**
 * Reads the metadata of an exported PNG, JPEG or WebP file (ours or with the same fields).
 * An error when the file can't be read or isn't one of the three formats; a file without our
 * lineage gives an EmbeddedMetadata without one.
 */
Result<EmbeddedMetadata, QString> readEmbeddedMetadata(const QString &file);

} // namespace brieflow

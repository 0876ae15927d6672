// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QSize>
#include <QString>

namespace brieflow::sandbox {

/** One image to draw: its size, file format ("png", "jpg", "webp") and quality (0–100). */
struct ImageSpec {
    QSize size;
    QByteArray format = "webp";
    int quality = 80;
    quint64 seed = 0;
};

/**
 * The pixel size for @p aspectRatio ("16:9") with @p longSide pixels on the longer edge: the
 * shorter edge is qRound(longSide * short / long), at least 1. A @p megapixels of "0.25" halves
 * the long side, as the real model does. std::nullopt for a ratio that does not parse.
 */
std::optional<QSize> imageSize(const QString &aspectRatio, int longSide,
                               const QString &megapixels = QStringLiteral("1"));

/** "image/png", "image/jpeg" or "image/webp". */
QByteArray imageMimeType(const QByteArray &format);

/** True when Qt can write @p format here (WebP needs qt6-image-formats-plugins). */
bool canWriteImageFormat(const QByteArray &format);

/**
 * The sandbox's image model: a procedural picture (gradient sky, soft shapes, no text, since
 * QFont would need a QGuiApplication) drawn with QPainter from @p spec.seed and encoded with
 * QImageWriter. Same spec, same bytes. On failure (e.g. no WebP plugin) returns an empty array
 * and sets @p error.
 */
QByteArray renderImage(const ImageSpec &spec, QString *error);

} // namespace brieflow::sandbox

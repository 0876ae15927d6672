// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagegenerator.h"

#include <algorithm>

#include <QBuffer>
#include <QImage>
#include <QImageWriter>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QRadialGradient>
#include <QRandomGenerator>

namespace brieflow::sandbox {

namespace {

QColor randomColor(QRandomGenerator &rng, int minLightness, int maxLightness, int alpha = 255)
{
    const int hue = rng.bounded(360);
    const int saturation = 120 + rng.bounded(120);
    const int lightness = minLightness + rng.bounded(std::max(1, maxLightness - minLightness));
    return QColor::fromHsl(hue, saturation, lightness, alpha);
}

double unit(QRandomGenerator &rng)
{
    return rng.generateDouble();
}

void drawScene(QImage &image, QRandomGenerator &rng)
{
    const double w = image.width();
    const double h = image.height();
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);

    // Sky: a vertical gradient between two related colours.
    QLinearGradient sky(0, 0, 0, h);
    const QColor top = randomColor(rng, 60, 140);
    sky.setColorAt(0, top);
    sky.setColorAt(1, top.lighter(150 + rng.bounded(80)));
    p.fillRect(image.rect(), sky);

    // A sun or light source.
    const QPointF sunCentre(w * (0.15 + 0.7 * unit(rng)), h * (0.1 + 0.35 * unit(rng)));
    const double sunRadius = std::min(w, h) * (0.08 + 0.12 * unit(rng));
    QRadialGradient sun(sunCentre, sunRadius * 2.5);
    sun.setColorAt(0, QColor(255, 250, 225, 240));
    sun.setColorAt(0.4, QColor(255, 220, 160, 120));
    sun.setColorAt(1, QColor(255, 220, 160, 0));
    p.setBrush(sun);
    p.drawEllipse(sunCentre, sunRadius * 2.5, sunRadius * 2.5);

    // Three layers of hills, darker towards the front.
    for (int layer = 0; layer < 3; ++layer) {
        QPainterPath hills;
        const double base = h * (0.55 + 0.13 * layer);
        hills.moveTo(0, h);
        hills.lineTo(0, base);
        const int bumps = 2 + rng.bounded(3);
        for (int i = 0; i < bumps; ++i) {
            const double x1 = w * (i + 0.5) / bumps;
            const double x2 = w * (i + 1.0) / bumps;
            hills.quadTo(x1, base - h * (0.05 + 0.15 * unit(rng)), x2, base);
        }
        hills.lineTo(w, h);
        hills.closeSubpath();
        p.setBrush(randomColor(rng, 40 - 10 * layer, 110 - 25 * layer, 230));
        p.drawPath(hills);
    }

    // A few translucent shapes standing in for "the product".
    const int shapes = 3 + rng.bounded(4);
    for (int i = 0; i < shapes; ++i) {
        const QRectF r(w * unit(rng) * 0.8, h * (0.3 + 0.5 * unit(rng)),
                       w * (0.08 + 0.2 * unit(rng)), h * (0.08 + 0.2 * unit(rng)));
        p.setBrush(randomColor(rng, 120, 220, 90 + rng.bounded(100)));
        if (rng.bounded(2) == 0)
            p.drawEllipse(r);
        else
            p.drawRoundedRect(r, r.width() * 0.2, r.height() * 0.2);
    }
}

} // namespace

std::optional<QSize> imageSize(const QString &aspectRatio, int longSide, const QString &megapixels)
{
    const QStringList parts = aspectRatio.split(QLatin1Char(':'));
    if (parts.size() != 2)
        return std::nullopt;
    bool okA = false;
    bool okB = false;
    const int a = parts.at(0).toInt(&okA);
    const int b = parts.at(1).toInt(&okB);
    if (!okA || !okB || a <= 0 || b <= 0 || longSide <= 0)
        return std::nullopt;
    const int edge = megapixels == QLatin1String("0.25") ? std::max(1, longSide / 2) : longSide;
    if (a >= b)
        return QSize(edge, std::max(1, qRound(double(edge) * b / a)));
    return QSize(std::max(1, qRound(double(edge) * a / b)), edge);
}

QByteArray imageMimeType(const QByteArray &format)
{
    if (format == "jpg" || format == "jpeg")
        return "image/jpeg";
    return "image/" + format;
}

bool canWriteImageFormat(const QByteArray &format)
{
    return QImageWriter::supportedImageFormats().contains(format == "jpg" ? QByteArray("jpeg")
                                                                          : format);
}

QByteArray renderImage(const ImageSpec &spec, QString *error)
{
    if (!canWriteImageFormat(spec.format)) {
        if (error)
            *error = QStringLiteral("The sandbox cannot write %1 images: Qt's %1 image plugin is "
                                    "missing (install qt6-image-formats-plugins).")
                         .arg(QString::fromLatin1(spec.format));
        return {};
    }
    QImage image(spec.size, QImage::Format_RGB32);
    QRandomGenerator rng(static_cast<quint32>(spec.seed ^ (spec.seed >> 32)));
    drawScene(image, rng);

    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, spec.format == "jpg" ? QByteArray("jpeg") : spec.format);
    writer.setQuality(spec.format == "png" ? -1 : spec.quality);
    if (!writer.write(image)) {
        if (error)
            *error = QStringLiteral("The sandbox could not encode a %1 image: %2")
                         .arg(QString::fromLatin1(spec.format), writer.errorString());
        return {};
    }
    return bytes;
}

} // namespace brieflow::sandbox

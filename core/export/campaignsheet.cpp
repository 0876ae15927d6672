// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/export/campaignsheet.h"

#include <cmath>

#include <QBuffer>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QImageReader>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextLayout>

namespace brieflow {

namespace {

constexpr int dpi = 150;

double points(double pt)
{
    return pt * dpi / 72.0;
}

/**
 * Draws @p text word-wrapped into @p width from @p top, at most @p maxHeight tall; a text that
 * doesn't fit ends with "…". Returns the height used.
 */
double drawWrapped(QPainter &painter, const QString &text, double left, double top, double width,
                   double maxHeight)
{
    if (text.isEmpty() || maxHeight <= 0)
        return 0;
    const QFontMetricsF metrics(painter.font(), painter.device());
    // QTextLayout breaks lines only at U+2028: keep the brief's own line breaks.
    QString laidOut = text;
    laidOut.replace(QLatin1Char('\n'), QChar(QChar::LineSeparator));
    QTextLayout layout(laidOut, painter.font(), painter.device());
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.beginLayout();
    double height = 0;
    QList<QTextLine> lines;
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        if (height + line.height() > maxHeight) {
            break;
        }
        line.setPosition(QPointF(0, height));
        height += line.height();
        lines << line;
    }
    layout.endLayout();
    const bool cut =
        !lines.isEmpty() && lines.last().textStart() + lines.last().textLength() < text.size();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QTextLine &line = lines.at(i);
        if (cut && i == lines.size() - 1) {
            const QString rest = text.mid(line.textStart()).simplified();
            painter.drawText(
                QPointF(left, top + line.y() + line.ascent()),
                metrics.elidedText(rest + QStringLiteral(" …"), Qt::ElideRight, width));
        } else {
            line.draw(&painter, QPointF(left, top));
        }
    }
    return height;
}

QFont font(double pt, bool bold = false)
{
    QFont f(QStringLiteral("Sans Serif"));
    f.setStyleHint(QFont::SansSerif);
    f.setPointSizeF(pt);
    f.setBold(bold);
    return f;
}

QString modelLine(const QList<ModelUse> &models)
{
    QStringList parts;
    for (const ModelUse &m : models) {
        QString part = m.step + QStringLiteral(": ") + m.modelRef;
        if (!m.version.isEmpty())
            part += QStringLiteral(" (") + m.version.left(12) + QLatin1Char(')');
        parts << part;
    }
    return parts.join(QStringLiteral(" · "));
}

} // namespace

Result<QByteArray, QString> renderCampaignSheet(const CampaignSheet &sheet)
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return fail(QStringLiteral("a PDF sheet needs fonts: run with a QGuiApplication"));
    if (sheet.images.isEmpty())
        return fail(QStringLiteral("a campaign sheet needs at least one image"));
    if (sheet.images.size() != sheet.imageFiles.size())
        return fail(QStringLiteral("a campaign sheet needs a file for every image"));

    const ImageLineage &first = sheet.images.first();
    const Brief &brief = first.brief;
    const QDate date = sheet.date.isValid() ? sheet.date : QDate::currentDate();

    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setResolution(dpi);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
        writer.setTitle(brief.productName);
        writer.setCreator(QStringLiteral("Brieflow"));
        QPainter painter;
        if (!painter.begin(&writer))
            return fail(QStringLiteral("can't start the PDF"));
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.setRenderHint(QPainter::Antialiasing);

        const QRectF page = writer.pageLayout().paintRectPixels(dpi);
        const double left = 0; // painter coordinates start at the margin
        const double width = page.width();
        const double bottom = page.height();
        const double gap = points(6);
        double y = 0;

        // Title and subtitle.
        painter.setPen(QColor(0x20, 0x20, 0x20));
        painter.setFont(font(20, true));
        y += drawWrapped(painter, brief.productName, left, y, width, points(60));
        painter.setFont(font(9));
        painter.setPen(QColor(0x60, 0x60, 0x60));
        y += drawWrapped(painter,
                         QStringLiteral("Campaign sheet · job %1 · %2")
                             .arg(first.jobId.toString().left(8),
                                  sheet.images.size() == 1
                                      ? QStringLiteral("1 image")
                                      : QStringLiteral("%1 images").arg(sheet.images.size())),
                         left, y, width, points(14));
        y += gap;

        // Footer first, so that everything else knows where to stop.
        painter.setFont(font(8));
        const QFontMetricsF footerMetrics(painter.font(), painter.device());
        const double footerTop = bottom - footerMetrics.height();
        painter.drawLine(QPointF(left, footerTop - points(4)),
                         QPointF(left + width, footerTop - points(4)));
        painter.drawText(QPointF(left, footerTop + footerMetrics.ascent()),
                         QStringLiteral("AI-generated images · Made with Brieflow · ")
                             + date.toString(QStringLiteral("yyyy-MM-dd")));
        const double contentBottom = footerTop - points(10);

        // Brief fields, concept and prompt: at most half the page, each field capped.
        const double textBudget = (contentBottom - y) * 0.5;
        const double textEnd = y + textBudget;
        const QList<QPair<QString, QString>> fields{
            {QStringLiteral("Audience"), brief.audience},
            {QStringLiteral("Value proposition"), brief.valueProposition},
            {QStringLiteral("Tone"), brief.tone},
            {QStringLiteral("Brand notes"), brief.brandNotes},
            {QStringLiteral("Concept"), first.conceptText},
            {QStringLiteral("Image prompt"), first.imagePrompt},
        };
        for (const auto &[label, text] : fields) {
            if (text.trimmed().isEmpty())
                continue;
            const double room = textEnd - y;
            if (room < points(24))
                break;
            painter.setPen(QColor(0x20, 0x20, 0x20));
            painter.setFont(font(9, true));
            y += drawWrapped(painter, label, left, y, width, points(14));
            painter.setFont(font(9));
            painter.setPen(QColor(0x30, 0x30, 0x30));
            y += drawWrapped(
                painter, text, left, y, width,
                std::min(room - points(14), points(label == QLatin1String("Concept") ? 90 : 54)));
            y += gap / 2;
        }
        y += gap;

        // Models.
        painter.setFont(font(8));
        painter.setPen(QColor(0x60, 0x60, 0x60));
        y += drawWrapped(painter, QStringLiteral("Models: ") + modelLine(first.models), left, y,
                         width, points(24));
        y += gap;

        // Images: a grid that fills what is left.
        const auto n = sheet.images.size();
        const int columns = n == 1 ? 1 : n <= 4 ? 2 : 3;
        const int rows = static_cast<int>((n + columns - 1) / columns);
        const double cellW = (width - gap * (columns - 1)) / columns;
        const double cellH = std::max(0.0, (contentBottom - y - gap * (rows - 1)) / rows);
        for (qsizetype i = 0; i < n; ++i) {
            QImageReader reader(sheet.imageFiles.at(i));
            reader.setAutoTransform(true);
            const QSize full = reader.size();
            if (full.isValid()) {
                // Decode no larger than it is drawn (at 150 dpi).
                const QSize target =
                    full.scaled(QSizeF(cellW, cellH).toSize(), Qt::KeepAspectRatio);
                if (target.width() < full.width())
                    reader.setScaledSize(target);
            }
            const QImage image = reader.read();
            if (image.isNull())
                return fail(QStringLiteral("can't read image %1 for the sheet: %2")
                                .arg(sheet.images.at(i).index)
                                .arg(reader.errorString()));
            const int col = static_cast<int>(i % columns);
            const int row = static_cast<int>(i / columns);
            const QRectF cell(left + col * (cellW + gap), y + row * (cellH + gap), cellW, cellH);
            const QSizeF fitted = QSizeF(image.size()).scaled(cell.size(), Qt::KeepAspectRatio);
            // Centred across, at the top of its row: the images follow the text.
            const QRectF target(cell.center().x() - fitted.width() / 2, cell.top(), fitted.width(),
                                fitted.height());
            painter.drawImage(target, image);
        }
        if (!painter.end())
            return fail(QStringLiteral("can't finish the PDF"));
    }
    buffer.close();
    return bytes;
}

} // namespace brieflow

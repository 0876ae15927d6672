// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobstatusstyle.h"

#include <QCoreApplication>
#include <QFile>
#include <QGuiApplication>
#include <QHash>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

namespace brieflow::ui {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("JobStatus", text, disambiguation, n);
}

QString iconName(JobStatus status)
{
    switch (status) {
    case JobStatus::Pending:
        return QStringLiteral("pending");
    case JobStatus::Processing:
        return QStringLiteral("processing");
    case JobStatus::Succeeded:
        return QStringLiteral("succeeded");
    case JobStatus::Failed:
        return QStringLiteral("failed");
    case JobStatus::Canceled:
        return QStringLiteral("canceled");
    case JobStatus::NeedsAttention:
        return QStringLiteral("needs-attention");
    }
    return {};
}

QIcon drawnDot(const QColor &colour)
{
    QIcon icon;
    for (const int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        const qreal margin = size / 4.0;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

QString statusWord(JobStatus status)
{
    switch (status) {
    case JobStatus::Pending:
        return tr("Pending");
    case JobStatus::Processing:
        return tr("Processing");
    case JobStatus::Succeeded:
        return tr("Done");
    case JobStatus::Failed:
        return tr("Failed");
    case JobStatus::Canceled:
        return tr("Canceled");
    case JobStatus::NeedsAttention:
        return tr("Needs attention");
    }
    return {};
}

QString stepStatusWord(StepStatus status)
{
    switch (status) {
    case StepStatus::Pending:
        return tr("Waiting");
    case StepStatus::Processing:
        return tr("Running");
    default:
        return statusWord(jobStatusOf(status));
    }
}

JobStatus jobStatusOf(StepStatus status)
{
    switch (status) {
    case StepStatus::Pending:
        return JobStatus::Pending;
    case StepStatus::Processing:
        return JobStatus::Processing;
    case StepStatus::Succeeded:
        return JobStatus::Succeeded;
    case StepStatus::Failed:
        return JobStatus::Failed;
    case StepStatus::Canceled:
        return JobStatus::Canceled;
    case StepStatus::NeedsAttention:
        return JobStatus::NeedsAttention;
    }
    return JobStatus::Pending;
}

QColor statusColour(JobStatus status)
{
    const QPalette palette = QGuiApplication::palette();
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    switch (status) {
    case JobStatus::Pending:
    case JobStatus::Canceled:
        return palette.color(QPalette::PlaceholderText);
    case JobStatus::Processing:
        return dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x56, 0xdb);
    case JobStatus::Succeeded:
        return dark ? QColor(0x81, 0xc9, 0x95) : QColor(0x1e, 0x7b, 0x34);
    case JobStatus::Failed:
        return dark ? QColor(0xf2, 0xb8, 0xb5) : QColor(0xb3, 0x26, 0x1e);
    case JobStatus::NeedsAttention:
        return dark ? QColor(0xfd, 0xd6, 0x63) : QColor(0x9a, 0x67, 0x00);
    }
    return {};
}

QIcon statusIcon(JobStatus status)
{
    // Keyed by the palette too: a theme switch must not keep the old dot colours.
    static QHash<QString, QIcon> cache;
    const QString name = iconName(status);
    const QColor highlight = QGuiApplication::palette().color(QPalette::Highlight);
    const QString key =
        name + QString::number(statusColour(status).rgba()) + QString::number(highlight.rgba());
    if (const auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
    const QString path = QStringLiteral(":/icons/state-") + name + QStringLiteral(".svg");
    QIcon icon;
    if (QFile::exists(path)) {
        icon = QIcon(path);
        // Without the SVG icon engine the icon exists but renders nothing.
        if (icon.pixmap(16, 16).isNull())
            icon = QIcon();
        // On a selected row the light-theme green and red vanish into a dark highlight: the
        // dark-theme drawing (light colours) is the Selected mode there.
        const QString dark = QStringLiteral(":/icons/dark/state-") + name + QStringLiteral(".svg");
        if (!icon.isNull() && highlight.lightness() < 160 && QFile::exists(dark)) {
            for (const int size : {16, 24, 32})
                icon.addFile(dark, QSize(size, size), QIcon::Selected);
        }
    }
    if (icon.isNull())
        icon = drawnDot(statusColour(status));
    cache.insert(key, icon);
    return icon;
}

QString stuckWord()
{
    return tr("Stuck");
}

QColor stuckColour()
{
    return statusColour(JobStatus::NeedsAttention);
}

QIcon stuckIcon()
{
    return statusIcon(JobStatus::NeedsAttention);
}

QIcon stepStatusIcon(StepStatus status)
{
    return statusIcon(jobStatusOf(status));
}

QString formatDuration(qint64 msecs)
{
    if (msecs < 0)
        return {};
    if (msecs < 60'000)
        return tr("%1 s").arg(QLocale().toString(static_cast<double>(msecs) / 1000.0, 'f', 1));
    const qint64 seconds = msecs / 1000;
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString formatRelativeTime(const QDateTime &time, const QDateTime &now)
{
    if (!time.isValid())
        return {};
    const qint64 seconds = time.secsTo(now);
    if (seconds < 45)
        return tr("just now");
    if (seconds < 3600)
        return tr("%n min ago", nullptr, static_cast<int>(qMax<qint64>(1, (seconds + 30) / 60)));
    if (seconds < 24 * 3600)
        return tr("%n h ago", nullptr, static_cast<int>(seconds / 3600));
    const QDate day = time.toLocalTime().date();
    if (day == now.toLocalTime().date().addDays(-1))
        return tr("yesterday");
    return QLocale().toString(day, QLocale::ShortFormat);
}

} // namespace brieflow::ui

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "imageviewer.h"

#include <algorithm>
#include <cmath>

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QIcon>
#include <QImageReader>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QThreadPool>
#include <QWheelEvent>
#include <QtConcurrent>

namespace brieflow::ui {

struct ImageViewer::Decoded {
    QImage image;
    QString error;
};

namespace {

/** The viewer's own pool: Qt's global pool also serves the raster paint engine, and a decode
 *  queued there would make the GUI thread wait (see OutputDownloader). */
QThreadPool *decodePool()
{
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setMaxThreadCount(2);
        pool.setExpiryTimeout(10'000);
        return true;
    }();
    Q_UNUSED(configured);
    return &pool;
}

QString missingFileMessage(const QString &path)
{
    return ImageViewer::tr("The image file is missing: %1. It may have been moved or deleted "
                           "outside Brieflow; its details are still shown.")
        .arg(QDir::toNativeSeparators(path));
}

QString percentText(double zoom)
{
    const double percent = zoom * 100.0;
    // Below 10 % one decimal says more than "3 %"; above it whole percents read calmly.
    if (percent < 10.0)
        return ImageViewer::tr("%1 %").arg(QLocale().toString(percent, 'f', 1));
    return ImageViewer::tr("%1 %").arg(QLocale().toString(std::lround(percent)));
}

} // namespace

ImageViewer::ImageViewer(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setMouseTracking(true);
    setAccessibleName(tr("Image"));
    horizontalScrollBar()->setSingleStep(24);
    verticalScrollBar()->setSingleStep(24);
    setMinimumSize(160, 120);
}

ImageViewer::~ImageViewer() = default;

void ImageViewer::setImageFile(const QString &path, const QImage &placeholder,
                               const QSize &fullSize)
{
    ++m_generation;
    m_path = path;
    m_error.clear();
    m_image = QImage();
    m_scaled = QPixmap();
    m_placeholder = placeholder;
    m_imageSize = fullSize.isValid() && !fullSize.isEmpty() ? fullSize : placeholder.size();
    m_fit = true;
    m_offset = {};
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        showError(missingFileMessage(path));
        return;
    }
    setState(State::Loading);
    m_zoom = fitZoom();
    updateScrollBars();
    Q_EMIT zoomChanged(m_zoom);
    viewport()->update();

    const quint64 generation = m_generation;
    auto *watcher = new QFutureWatcher<Decoded>(this);
    connect(watcher, &QFutureWatcher<Decoded>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // another image was asked for meanwhile
        const Decoded decoded = watcher->result();
        if (decoded.image.isNull()) {
            showError(decoded.error);
            return;
        }
        const QSize before = m_imageSize;
        const QPointF center = centerFraction();
        m_image = decoded.image;
        m_placeholder = QImage();
        m_imageSize = m_image.size();
        if (m_fit) {
            m_zoom = fitZoom();
            m_offset = {};
        } else if (before != m_imageSize && before.isValid() && !before.isEmpty()) {
            // The placeholder's size was a guess: keep the same part of the image in view.
            m_zoom *= static_cast<double>(before.width()) / m_imageSize.width();
        }
        updateScrollBars();
        if (!m_fit)
            centerOn(center);
        setState(State::Ready);
        Q_EMIT zoomChanged(m_zoom);
        viewport()->update();
    });
    watcher->setFuture(QtConcurrent::run(decodePool(), [path] {
        Decoded decoded;
        QImageReader reader(path);
        reader.setAutoTransform(true);
        decoded.image = reader.read();
        if (decoded.image.isNull()) {
            decoded.error = QFileInfo::exists(path)
                                ? ImageViewer::tr("The image file can't be read: %1 (%2). It may "
                                                  "be damaged or in a format this system can't "
                                                  "open.")
                                      .arg(QDir::toNativeSeparators(path), reader.errorString())
                                : missingFileMessage(path);
        }
        return decoded;
    }));
}

void ImageViewer::setPlaceholder(const QImage &placeholder)
{
    if (m_state != State::Loading)
        return;
    m_placeholder = placeholder;
    if (m_imageSize.isEmpty() && !placeholder.isNull()) {
        m_imageSize = placeholder.size();
        if (m_fit)
            m_zoom = fitZoom();
        updateScrollBars();
    }
    viewport()->update();
}

void ImageViewer::setImage(const QImage &image)
{
    ++m_generation;
    m_path.clear();
    m_error.clear();
    m_placeholder = QImage();
    m_image = image;
    m_scaled = QPixmap();
    m_imageSize = image.size();
    m_fit = true;
    m_offset = {};
    if (image.isNull()) {
        clear();
        return;
    }
    m_zoom = fitZoom();
    updateScrollBars();
    setState(State::Ready);
    Q_EMIT zoomChanged(m_zoom);
    viewport()->update();
}

void ImageViewer::showError(const QString &message)
{
    ++m_generation;
    m_error = message;
    m_image = QImage();
    m_placeholder = QImage();
    m_scaled = QPixmap();
    m_imageSize = {};
    m_offset = {};
    updateScrollBars();
    setState(State::Error);
    viewport()->update();
}

void ImageViewer::clear()
{
    ++m_generation;
    m_path.clear();
    m_error.clear();
    m_image = QImage();
    m_placeholder = QImage();
    m_scaled = QPixmap();
    m_imageSize = {};
    m_offset = {};
    updateScrollBars();
    setState(State::Empty);
    viewport()->update();
}

void ImageViewer::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

double ImageViewer::effectiveDevicePixelRatio() const
{
    return m_dprOverride > 0 ? m_dprOverride : viewport()->devicePixelRatioF();
}

void ImageViewer::setDevicePixelRatioOverride(double ratio)
{
    m_dprOverride = ratio;
    m_scaled = QPixmap();
    if (m_fit)
        m_zoom = fitZoom();
    updateScrollBars();
    viewport()->update();
}

double ImageViewer::fitZoom() const
{
    if (m_imageSize.isEmpty())
        return 1.0;
    const double dpr = effectiveDevicePixelRatio();
    const QSize area = viewport()->size();
    const double zx = area.width() * dpr / m_imageSize.width();
    const double zy = area.height() * dpr / m_imageSize.height();
    return std::clamp(std::min({1.0, zx, zy}), minZoom, 1.0);
}

QString ImageViewer::zoomText() const
{
    switch (m_state) {
    case State::Empty:
    case State::Error:
        return {};
    case State::Loading:
        return tr("Loading…");
    case State::Ready:
        break;
    }
    if (m_fit)
        return tr("Fit · %1").arg(percentText(m_zoom));
    return percentText(m_zoom);
}

QSizeF ImageViewer::contentSize() const
{
    const double dpr = effectiveDevicePixelRatio();
    return QSizeF(m_imageSize.width() * m_zoom / dpr, m_imageSize.height() * m_zoom / dpr);
}

QPointF ImageViewer::imageOrigin() const
{
    const QSizeF content = contentSize();
    const QSize area = viewport()->size();
    const double x =
        content.width() <= area.width() ? (area.width() - content.width()) / 2.0 : -m_offset.x();
    const double y = content.height() <= area.height() ? (area.height() - content.height()) / 2.0
                                                       : -m_offset.y();
    return {x, y};
}

QPointF ImageViewer::mapToImage(const QPointF &viewportPos) const
{
    const double scale = effectiveDevicePixelRatio() / m_zoom;
    return (viewportPos - imageOrigin()) * scale;
}

QPointF ImageViewer::mapFromImage(const QPointF &imagePos) const
{
    return imageOrigin() + imagePos * (m_zoom / effectiveDevicePixelRatio());
}

QRectF ImageViewer::visibleImageRect() const
{
    if (m_imageSize.isEmpty())
        return {};
    const QRectF shown(mapToImage(QPointF(0, 0)), mapToImage(QPointF(viewport()->size().width(),
                                                                     viewport()->size().height())));
    return shown.intersected(QRectF(QPointF(0, 0), QSizeF(m_imageSize)));
}

QPointF ImageViewer::centerFraction() const
{
    if (m_imageSize.isEmpty())
        return {0.5, 0.5};
    const QPointF center =
        mapToImage(QPointF(viewport()->width() / 2.0, viewport()->height() / 2.0));
    return {center.x() / m_imageSize.width(), center.y() / m_imageSize.height()};
}

void ImageViewer::applyOffset(QPointF offset)
{
    const QSizeF content = contentSize();
    const QSize area = viewport()->size();
    offset.setX(std::clamp(offset.x(), 0.0, std::max(0.0, content.width() - area.width())));
    offset.setY(std::clamp(offset.y(), 0.0, std::max(0.0, content.height() - area.height())));
    m_offset = offset;
    updateScrollBars();
    viewport()->update();
}

void ImageViewer::updateScrollBars()
{
    const QSizeF content = contentSize();
    const QSize area = viewport()->size();
    m_syncingScrollBars = true;
    QScrollBar *h = horizontalScrollBar();
    QScrollBar *v = verticalScrollBar();
    h->setRange(0, std::max(0, static_cast<int>(std::ceil(content.width() - area.width()))));
    v->setRange(0, std::max(0, static_cast<int>(std::ceil(content.height() - area.height()))));
    h->setPageStep(area.width());
    v->setPageStep(area.height());
    h->setValue(static_cast<int>(std::lround(m_offset.x())));
    v->setValue(static_cast<int>(std::lround(m_offset.y())));
    m_syncingScrollBars = false;
}

void ImageViewer::scrollContentsBy(int dx, int dy)
{
    Q_UNUSED(dx);
    Q_UNUSED(dy);
    if (m_syncingScrollBars)
        return;
    // The user moved a scroll bar (or scrolled with the keyboard).
    m_offset = QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
    viewport()->update();
    Q_EMIT viewChangedByUser();
}

void ImageViewer::setZoomInternal(double zoom, const QPointF &anchor)
{
    if (m_imageSize.isEmpty())
        return;
    zoom = std::clamp(zoom, minZoom, maxZoom);
    const QPointF at = anchor.x() < 0 || anchor.y() < 0
                           ? QPointF(viewport()->width() / 2.0, viewport()->height() / 2.0)
                           : anchor;
    const QPointF imagePoint = mapToImage(at);
    m_zoom = zoom;
    // Place the content so that imagePoint lands on `at` again (clamped to the content).
    const double scale = m_zoom / effectiveDevicePixelRatio();
    applyOffset(imagePoint * scale - at);
    Q_EMIT zoomChanged(m_zoom);
}

void ImageViewer::setZoom(double zoom, const QPointF &viewportAnchor)
{
    m_fit = false;
    setZoomInternal(zoom, viewportAnchor);
}

void ImageViewer::zoomIn()
{
    setZoom(m_zoom * zoomStep);
    Q_EMIT viewChangedByUser();
}

void ImageViewer::zoomOut()
{
    setZoom(m_zoom / zoomStep);
    Q_EMIT viewChangedByUser();
}

void ImageViewer::fitToWindow()
{
    m_fit = true;
    m_zoom = fitZoom();
    applyOffset({});
    Q_EMIT zoomChanged(m_zoom);
    Q_EMIT viewChangedByUser();
}

void ImageViewer::actualSize()
{
    setZoom(1.0);
    Q_EMIT viewChangedByUser();
}

void ImageViewer::centerOn(const QPointF &fraction)
{
    if (m_imageSize.isEmpty())
        return;
    const QPointF imagePoint(fraction.x() * m_imageSize.width(),
                             fraction.y() * m_imageSize.height());
    const double scale = m_zoom / effectiveDevicePixelRatio();
    applyOffset(imagePoint * scale
                - QPointF(viewport()->width() / 2.0, viewport()->height() / 2.0));
}

void ImageViewer::setViewState(double zoom, bool fit, const QPointF &centerFraction)
{
    m_fit = fit;
    m_zoom = fit ? fitZoom() : std::clamp(zoom, minZoom, maxZoom);
    if (fit)
        applyOffset({});
    else
        centerOn(centerFraction);
    Q_EMIT zoomChanged(m_zoom);
}

void ImageViewer::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    if (m_fit) {
        m_zoom = fitZoom();
        m_offset = {};
        Q_EMIT zoomChanged(m_zoom);
    }
    applyOffset(m_offset);
}

bool ImageViewer::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ScreenChangeInternal) {
        m_scaled = QPixmap();
        if (m_fit)
            m_zoom = fitZoom();
        updateScrollBars();
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void ImageViewer::wheelEvent(QWheelEvent *event)
{
    if (m_imageSize.isEmpty()) {
        event->ignore();
        return;
    }
    const bool ctrl = event->modifiers().testFlag(Qt::ControlModifier);
    // A trackpad's two-finger scroll (pixel deltas, no Ctrl) pans; a mouse wheel zooms.
    if (!ctrl && !event->pixelDelta().isNull()) {
        applyOffset(m_offset - QPointF(event->pixelDelta()));
        Q_EMIT viewChangedByUser();
        event->accept();
        return;
    }
    const int steps =
        event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
    if (steps == 0) {
        event->ignore();
        return;
    }
    setZoom(m_zoom * std::pow(zoomStep, steps / 120.0), event->position());
    Q_EMIT viewChangedByUser();
    event->accept();
}

void ImageViewer::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && !m_imageSize.isEmpty()) {
        m_dragging = true;
        m_dragStart = event->position();
        m_dragOffset = m_offset;
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QAbstractScrollArea::mousePressEvent(event);
}

void ImageViewer::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging) {
        applyOffset(m_dragOffset - (event->position() - m_dragStart));
        Q_EMIT viewChangedByUser();
        event->accept();
        return;
    }
    const QSizeF content = contentSize();
    const bool pannable =
        content.width() > viewport()->width() || content.height() > viewport()->height();
    viewport()->setCursor(pannable ? Qt::OpenHandCursor : Qt::ArrowCursor);
    QAbstractScrollArea::mouseMoveEvent(event);
}

void ImageViewer::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void ImageViewer::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_imageSize.isEmpty())
        return QAbstractScrollArea::mouseDoubleClickEvent(event);
    // Fit ↔ 100 % at the clicked point.
    if (m_fit && std::abs(m_zoom - 1.0) > 1e-9)
        setZoom(1.0, event->position());
    else {
        m_fit = true;
        m_zoom = fitZoom();
        applyOffset({});
        Q_EMIT zoomChanged(m_zoom);
    }
    Q_EMIT viewChangedByUser();
}

void ImageViewer::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
    case Qt::Key_Underscore:
        zoomOut();
        return;
    case Qt::Key_F:
    case Qt::Key_0:
        fitToWindow();
        return;
    case Qt::Key_1:
        actualSize();
        return;
    case Qt::Key_Left:
    case Qt::Key_Right:
        // Previous / next image belong to the window.
        event->ignore();
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void ImageViewer::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event);
    QPainter painter(viewport());
    const QColor window = palette().color(QPalette::Window);
    const QColor background = window.lightness() > 128 ? window.darker(108) : window.lighter(125);
    painter.fillRect(viewport()->rect(), background);

    if (m_state == State::Error) {
        paintMessage(painter, m_error);
        return;
    }
    if (m_state == State::Empty)
        return;

    const QRectF target(imageOrigin(), contentSize());
    const QImage &source = m_state == State::Ready ? m_image : m_placeholder;
    if (!source.isNull()) {
        if (source.hasAlphaChannel()) {
            // A quiet checkerboard under transparent pixels.
            QPixmap tile(16, 16);
            tile.fill(background.lighter(110));
            QPainter tp(&tile);
            tp.fillRect(0, 0, 8, 8, background.darker(110));
            tp.fillRect(8, 8, 8, 8, background.darker(110));
            tp.end();
            painter.fillRect(target.intersected(QRectF(viewport()->rect())), QBrush(tile));
        }
        const double dpr = effectiveDevicePixelRatio();
        if (m_state == State::Loading) {
            painter.setRenderHint(QPainter::SmoothPixmapTransform);
            painter.drawImage(target, source);
        } else if (m_zoom < 1.0) {
            // Smaller than 100 %: scaled once per zoom, smoothly, at device resolution.
            if (m_scaled.isNull() || std::abs(m_scaledZoom - m_zoom) > 1e-9
                || std::abs(m_scaled.devicePixelRatio() - dpr) > 1e-9) {
                const QSize size(
                    std::max(1, static_cast<int>(std::lround(source.width() * m_zoom))),
                    std::max(1, static_cast<int>(std::lround(source.height() * m_zoom))));
                m_scaled = QPixmap::fromImage(
                    source.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
                m_scaled.setDevicePixelRatio(dpr);
                m_scaledZoom = m_zoom;
            }
            painter.drawPixmap(target.topLeft(), m_scaled);
        } else {
            // 100 % and above: only the visible part, pixels as sharp squares.
            const QRectF visible = target.intersected(QRectF(viewport()->rect()));
            if (!visible.isEmpty()) {
                const QRectF sourceRect(mapToImage(visible.topLeft()),
                                        mapToImage(visible.bottomRight()));
                painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
                painter.drawImage(visible, source, sourceRect);
            }
        }
    }
    paintBadge(painter, zoomText());
}

void ImageViewer::paintBadge(QPainter &painter, const QString &text)
{
    if (text.isEmpty())
        return;
    painter.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics metrics(font());
    const QSize size(metrics.horizontalAdvance(text) + 16, metrics.height() + 8);
    const QRectF badge(QPointF(8, viewport()->height() - size.height() - 8), QSizeF(size));
    QPainterPath path;
    path.addRoundedRect(badge, 6, 6);
    QColor fill = palette().color(QPalette::ToolTipBase);
    fill.setAlpha(225);
    painter.fillPath(path, fill);
    painter.setPen(palette().color(QPalette::ToolTipText));
    painter.drawText(badge, Qt::AlignCenter, text);
}

void ImageViewer::paintMessage(QPainter &painter, const QString &text)
{
    const QRect area = viewport()->rect().adjusted(24, 24, -24, -24);
    const QIcon icon(QStringLiteral(":/icons/state-failed.svg"));
    const int iconSize = 32;
    QRect textRect(area.left(), 0, area.width(), area.height());
    textRect =
        painter.fontMetrics().boundingRect(textRect, Qt::AlignHCenter | Qt::TextWordWrap, text);
    const int total = iconSize + 8 + textRect.height();
    const int top = area.top() + std::max(0, (area.height() - total) / 2);
    icon.paint(&painter, QRect(area.center().x() - iconSize / 2, top, iconSize, iconSize));
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(area.left(), top + iconSize + 8, area.width(), textRect.height()),
                     Qt::AlignHCenter | Qt::TextWordWrap, text);
}

} // namespace brieflow::ui

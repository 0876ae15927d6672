// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractScrollArea>
#include <QImage>
#include <QPixmap>
#include <QPointF>
#include <QRectF>
#include <QString>

namespace brieflow::ui {

/**
 * One image, zoomable and pannable: the preview's and the compare window's canvas.
 *
 * Zoom is in device pixels per image pixel, so 100 % shows every image pixel on one screen
 * pixel, also on a high-DPI screen. Fit shows the whole image in the viewport, never above
 * 100 % (a small image is not blown up). Beyond 100 % pixels are drawn as sharp squares, never
 * smoothed, and the zoom level is always drawn in a corner badge, so an enlarged image never
 * passes for a sharp one.
 *
 * Input: the wheel (with or without Ctrl) zooms around the cursor, a trackpad's two-finger
 * scroll pans; drag to pan; the scroll bars pan; + / - zoom around the centre; F or 0 fits;
 * 1 is 100 %. Left and Right are left to the window (previous / next image).
 *
 * setImageFile() decodes on a private thread pool, never on the GUI thread; meanwhile a
 * placeholder (the thumbnail) is shown at the full image's size, marked "Loading…". A missing
 * or unreadable file shows a plain-words error in the canvas.
 */
class ImageViewer final : public QAbstractScrollArea {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageViewer)

public:
    enum class State { Empty, Loading, Ready, Error };

    static constexpr double minZoom = 0.02;
    static constexpr double maxZoom = 32.0;
    static constexpr double zoomStep = 1.25;

    explicit ImageViewer(QWidget *parent = nullptr);
    ~ImageViewer() override;

    /**
     * Shows the image file at @p path, decoded off the GUI thread. Until it is decoded,
     * @p placeholder (may be null) is shown stretched to @p fullSize (the image's size in
     * pixels, when known: the view's zoom and position then stay put when the image arrives).
     * The view starts in Fit mode.
     */
    void setImageFile(const QString &path, const QImage &placeholder = {},
                      const QSize &fullSize = {});
    /** Replaces the placeholder while the image is still loading (e.g. a thumbnail that was
     *  not ready yet); ignored in any other state. */
    void setPlaceholder(const QImage &placeholder);
    /** Shows an already decoded image (starts in Fit mode). */
    void setImage(const QImage &image);
    /** Shows @p message in place of an image (the state becomes Error). */
    void showError(const QString &message);
    /** Shows nothing. */
    void clear();

    State state() const { return m_state; }
    QString filePath() const { return m_path; }
    /** The error shown in the Error state. */
    QString errorText() const { return m_error; }
    /** The decoded image (null until Ready). */
    const QImage &image() const { return m_image; }
    /** The size of the shown image in pixels (the placeholder's full size while loading). */
    QSize imageSize() const { return m_imageSize; }

    /** Device pixels per image pixel: 1.0 is 100 %. */
    double zoom() const { return m_zoom; }
    /** True while the zoom follows the viewport's size (Fit). */
    bool isFitMode() const { return m_fit; }
    /** The zoom Fit gives for the current image and viewport (at most 1.0). */
    double fitZoom() const;
    /** "Fit · 42 %", "100 %", "400 %", "Loading…"; empty without an image. */
    QString zoomText() const;
    /** The part of the image shown, in image pixels (clipped to the image). */
    QRectF visibleImageRect() const;
    /** The image point at @p viewportPos (viewport coordinates, logical pixels). */
    QPointF mapToImage(const QPointF &viewportPos) const;
    /** The viewport point showing image point @p imagePos. */
    QPointF mapFromImage(const QPointF &imagePos) const;
    /** The image point at the viewport's centre, as fractions (0..1) of the image size. */
    QPointF centerFraction() const;

    /** The high-DPI ratio used for the zoom maths; normally the screen's. For tests. */
    void setDevicePixelRatioOverride(double ratio);
    double effectiveDevicePixelRatio() const;

public Q_SLOTS:
    /** Sets the zoom, keeping the image point under @p viewportAnchor where it is (default:
     *  the viewport's centre). Leaves Fit mode. */
    void setZoom(double zoom, const QPointF &viewportAnchor = QPointF(-1, -1));
    void zoomIn();
    void zoomOut();
    void fitToWindow();
    void actualSize();
    /** Scrolls so that the image point at @p fraction (0..1 of the size) is in the centre. */
    void centerOn(const QPointF &fraction);
    /** Sets zoom (or Fit) and centre in one go; emits nothing (for synchronised views). */
    void setViewState(double zoom, bool fit, const QPointF &centerFraction);

Q_SIGNALS:
    /** The zoom or the Fit mode changed. */
    void zoomChanged(double zoom);
    /** The user zoomed or panned (not emitted for setViewState()). */
    void viewChangedByUser();
    void stateChanged(brieflow::ui::ImageViewer::State state);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent *event) override;

private:
    struct Decoded;
    void setState(State state);
    void onDecoded();
    /** Content size in logical pixels at the current zoom. */
    QSizeF contentSize() const;
    /** Where the image's top-left corner is, in viewport coordinates. */
    QPointF imageOrigin() const;
    void updateScrollBars();
    void applyOffset(QPointF offset);
    void setZoomInternal(double zoom, const QPointF &anchor);
    void paintBadge(QPainter &painter, const QString &text);
    void paintMessage(QPainter &painter, const QString &text);

    State m_state = State::Empty;
    QString m_path;
    QString m_error;
    QImage m_image;
    QImage m_placeholder;
    QSize m_imageSize;
    QPixmap m_scaled; ///< the image scaled for a zoom below 100 %
    double m_scaledZoom = 0;
    double m_zoom = 1.0;
    bool m_fit = true;
    QPointF m_offset; ///< the viewport's top-left in content coordinates (logical pixels)
    bool m_syncingScrollBars = false;
    double m_dprOverride = 0;
    bool m_dragging = false;
    QPointF m_dragStart;
    QPointF m_dragOffset;
    quint64 m_generation = 0;
};

} // namespace brieflow::ui
